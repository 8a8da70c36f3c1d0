//! StateMachine: a Step Functions state machine whose role may do exactly
//! what its tasks need.

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope, Value};
use formwork_l1::stepfunctions::{CfnStateMachine, CfnStateMachineRef, state_machine};

use super::codes;
use super::definition::Definition;
use crate::iam::{self, GrantSpec, Grantee, Identity, PolicyStatement, Principal, Role, RoleProps};

/// `STANDARD` or `EXPRESS`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StateMachineType {
    /// Exactly-once, up to a year, full history (the default).
    #[default]
    Standard,
    /// At-least-once, up to five minutes, high volume.
    Express,
}

impl StateMachineType {
    fn l1(self) -> state_machine::StateMachineType {
        match self {
            StateMachineType::Standard => state_machine::StateMachineType::Standard,
            StateMachineType::Express => state_machine::StateMachineType::Express,
        }
    }
}

/// Which execution events are logged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogLevel {
    /// Every event.
    All,
    /// Errors (the default).
    #[default]
    Error,
    /// Fatal errors only.
    Fatal,
    /// Nothing.
    Off,
}

impl LogLevel {
    fn l1(self) -> state_machine::Level {
        match self {
            LogLevel::All => state_machine::Level::All,
            LogLevel::Error => state_machine::Level::Error,
            LogLevel::Fatal => state_machine::Level::Fatal,
            LogLevel::Off => state_machine::Level::Off,
        }
    }
}

/// Where and what a state machine logs (`LoggingConfiguration`).
///
/// The role then gets the CloudWatch Logs delivery actions
/// (`logs:CreateLogDelivery`, `logs:GetLogDelivery`, `logs:UpdateLogDelivery`,
/// `logs:DeleteLogDelivery`, `logs:ListLogDeliveries`,
/// `logs:PutResourcePolicy`, `logs:DescribeResourcePolicies`,
/// `logs:DescribeLogGroups`) on `Resource: *`, in a statement with `Sid:
/// LogDelivery`: these actions support no resource-level permission (the
/// CloudWatch Logs delivery API has no resource ARN), so this is one of the
/// two places where formwork writes `*`, and only because logging was asked for.
///
/// ```
/// use formwork::stepfunctions::{LogLevel, Logging};
/// let group_arn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/vendedlogs/states/pipeline:*";
/// let logging = Logging::new(group_arn).level(LogLevel::All).include_execution_data(true);
/// # let _ = logging;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Logging {
    destination: Value,
    level: LogLevel,
    include_execution_data: bool,
}

impl Logging {
    /// Logs errors to the log group with this ARN (`LogGroup::arn()`, the
    /// `arn:...:log-group:<name>:*` form), without execution data (inputs
    /// and outputs may hold personal data). A name under
    /// `/aws/vendedlogs/states/` keeps the group's resource policy small.
    pub fn new(log_group_arn: impl Into<Value>) -> Logging {
        Logging {
            destination: log_group_arn.into(),
            level: LogLevel::Error,
            include_execution_data: false,
        }
    }

    /// The level.
    pub fn level(mut self, level: LogLevel) -> Self {
        self.level = level;
        self
    }

    /// Whether inputs and outputs are logged too.
    pub fn include_execution_data(mut self, include: bool) -> Self {
        self.include_execution_data = include;
        self
    }
}

/// What a [`StateMachine`] is made with.
///
/// Defaults: `STANDARD`, a generated name, a new role that
/// `states.amazonaws.com` assumes with only the permissions the tasks
/// need, no logging, no tracing.
///
/// ```
/// use formwork::stepfunctions::{Definition, Pass, StateMachineProps, StateMachineType};
/// let props = StateMachineProps::new(Definition::new("Hello").state("Hello", Pass::new().end()))
///     .state_machine_name("hello")
///     .machine_type(StateMachineType::Express)
///     .tracing(true);
/// # let _ = props;
/// ```
#[derive(Clone, Debug)]
pub struct StateMachineProps {
    definition: Definition,
    name: Option<Str>,
    machine_type: StateMachineType,
    logging: Option<Logging>,
    tracing: bool,
    role: Option<Role>,
}

impl StateMachineProps {
    /// A state machine running `definition`.
    pub fn new(definition: Definition) -> Self {
        StateMachineProps {
            definition,
            name: None,
            machine_type: StateMachineType::Standard,
            logging: None,
            tracing: false,
            role: None,
        }
    }

    /// A fixed name (1 to 80 of `A-Z a-z 0-9 - _`). A fixed name means the
    /// stack cannot be deployed twice in one account and region.
    pub fn state_machine_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `STANDARD` (default) or `EXPRESS`.
    pub fn machine_type(mut self, machine_type: StateMachineType) -> Self {
        self.machine_type = machine_type;
        self
    }

    /// Logs executions to CloudWatch Logs.
    pub fn logging(mut self, logging: Logging) -> Self {
        self.logging = Some(logging);
        self
    }

    /// X-Ray tracing. The role then gets `xray:PutTraceSegments`,
    /// `xray:PutTelemetryRecords`, `xray:GetSamplingRules` and
    /// `xray:GetSamplingTargets` on `Resource: *`, in a statement with
    /// `Sid: XRayTracing` (X-Ray has no resource-level permission).
    pub fn tracing(mut self, enabled: bool) -> Self {
        self.tracing = enabled;
        self
    }

    /// Runs with this role instead of a new one; the task permissions are
    /// added to it.
    pub fn role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }
}

/// What [`StateMachine::grant_start_execution`] allows.
const START: &[GrantSpec] = &[GrantSpec {
    actions: &["states:StartExecution"],
    arn: 0,
}];

/// What [`StateMachine::grant_start_sync_execution`] allows.
const START_SYNC: &[GrantSpec] = &[GrantSpec {
    actions: &["states:StartSyncExecution"],
    arn: 0,
}];

/// The CloudWatch Logs delivery actions Step Functions logging needs.
const LOG_DELIVERY: &[&str] = &[
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/// The X-Ray actions tracing needs.
const XRAY: &[&str] = &[
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
];

/// A Step Functions state machine.
///
/// Its definition goes to `DefinitionString` (pretty JSON in an `Fn::Sub`,
/// so that function ARNs resolve). Its role may do exactly what the tasks
/// need: `lambda:InvokeFunction` on each invoked function (`<arn>` and
/// `<arn>:*`), the statements of generic tasks, and the logging and
/// tracing actions when those are on. Grants to the state machine
/// (`bucket.grant_read(&machine)`) go to its role.
///
/// ```
/// use formwork::App;
/// use formwork::stepfunctions::{Definition, StateMachine, StateMachineProps, Task};
/// let app = App::new();
/// let stack = app.stack("Vision")?;
/// let worker = "arn:aws:lambda:ap-northeast-1:123456789012:function:poc-mc-vision-pipeline-worker";
/// let machine = StateMachine::new(&stack, "Pipeline", StateMachineProps::new(
///     Definition::new("Infer").state("Infer", Task::lambda_invoke(worker).end()),
/// ))?;
/// # let _ = machine.arn();
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct StateMachine {
    cfn: CfnStateMachineRef,
    scope: Scope,
    role: Role,
}

impl StateMachine {
    /// Adds a state machine at `scope/id` (and its role at `scope/id/Role`
    /// unless one is given). Problems of the definition are reported at
    /// synth.
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: StateMachineProps) -> Result<StateMachine> {
        let node = scope.child(id)?;
        props.definition.validate(&node, "Definition");
        let role = match props.role {
            Some(r) => r,
            None => Role::new(
                &node,
                "Role",
                RoleProps::new(Principal::service("states.amazonaws.com")),
            )?,
        };
        for s in props.definition.role_statements() {
            role.add_to_policy(s);
        }
        let mut cfn = CfnStateMachine::new()
            .definition_string(props.definition.to_definition_string())
            .role_arn(role.arn())
            .state_machine_type(props.machine_type.l1());
        if let Some(n) = props.name {
            check_name(&node, &n.clone().into_value());
            cfn = cfn.state_machine_name(n);
        }
        if let Some(l) = &props.logging {
            cfn = cfn.logging_configuration(
                state_machine::LoggingConfiguration::new()
                    .destinations([state_machine::LogDestination::new()
                        .cloud_watch_logs_log_group(
                            state_machine::CloudWatchLogsLogGroup::new()
                                .log_group_arn(to_expr(l.destination.clone())),
                        )])
                    .include_execution_data(l.include_execution_data)
                    .level(l.level.l1()),
            );
            // The log delivery actions have no resource-level permission.
            role.add_to_policy(
                PolicyStatement::allow()
                    .sid("LogDelivery")
                    .actions(LOG_DELIVERY.iter().copied())
                    .resource("*"),
            );
        }
        if props.tracing {
            cfn =
                cfn.tracing_configuration(state_machine::TracingConfiguration::new().enabled(true));
            // X-Ray has no resource-level permission.
            role.add_to_policy(
                PolicyStatement::allow()
                    .sid("XRayTracing")
                    .actions(XRAY.iter().copied())
                    .resource("*"),
            );
        }
        let cfn = node.add_here(cfn)?;
        Ok(StateMachine {
            cfn,
            scope: node,
            role,
        })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnStateMachineRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The role executions run with.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// `Ref`: the state machine's ARN.
    pub fn arn(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `Fn::GetAtt Name`.
    pub fn name(&self) -> Expr {
        self.cfn.name()
    }

    /// Adds a statement to the role (for what a hand-written definition's
    /// tasks need).
    pub fn add_to_role_policy(&self, statement: PolicyStatement) {
        self.role.add_to_policy(statement);
    }

    /// Lets the grantee start executions: `states:StartExecution` on this
    /// state machine. A grantee without a role formwork manages gets
    /// warning `FW2001` ([`iam::codes::GRANT_NO_ROLE`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// use formwork::stepfunctions::{Definition, Pass, StateMachine, StateMachineProps};
    /// let app = App::new();
    /// let stack = app.stack("Vision")?;
    /// let machine = StateMachine::new(&stack, "Pipeline", StateMachineProps::new(
    ///     Definition::new("Go").state("Go", Pass::new().end()),
    /// ))?;
    /// let api = Role::new(&stack, "Api", RoleProps::new(Principal::service("lambda.amazonaws.com")))?;
    /// machine.grant_start_execution(&api)?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn grant_start_execution(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, START)
    }

    /// Lets the grantee run synchronous executions of an `EXPRESS` state
    /// machine: `states:StartSyncExecution` on it.
    #[track_caller]
    pub fn grant_start_sync_execution(&self, grantee: &dyn Grantee) -> Result<()> {
        self.grant(grantee, START_SYNC)
    }

    #[track_caller]
    fn grant(&self, grantee: &dyn Grantee, specs: &[GrantSpec]) -> Result<()> {
        iam::grant_or_report(&self.scope, grantee, specs, &[self.arn().into()]);
        Ok(())
    }
}

impl Grantee for StateMachine {
    fn grant_identity(&self) -> Option<Identity> {
        Some(Identity::Role(self.role.clone()))
    }
}

fn to_expr(v: Value) -> Expr {
    match v {
        Value::Expr(e) => e,
        other => formwork_core::Fn::concat([other]),
    }
}

/// Validates a literal state machine name.
fn check_name(node: &Scope, name: &Value) {
    const RULE: crate::names::NameRule = crate::names::NameRule {
        kind: "state machine name",
        max: 80,
        punctuation: "-_",
    };
    RULE.check(node, codes::STATE_MACHINE_NAME, "StateMachineName", name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepfunctions::{Choice, Condition, Fail, Pass, Task};
    use formwork_core::App;
    use formwork_l1::lambda::{CfnFunction, CfnFunctionRef, function};
    use formwork_l1::logs::CfnLogGroup;
    use formwork_test_support::{lint, synth_and_lint, template};
    use serde_json::json;

    fn policies(t: &serde_json::Value, role: &str) -> serde_json::Value {
        t["Resources"][role]["Properties"]["Policies"].clone()
    }

    fn worker(scope: &Scope) -> CfnFunctionRef {
        let exec = Role::new(
            scope,
            "WorkerRole",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        scope
            .add(
                "Worker",
                CfnFunction::new()
                    .function_name("poc-mc-vision-pipeline-worker")
                    .package_type(function::PackageType::Image)
                    .code(function::Code::new().image_uri(
                        "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/poc-mc-vision-fastapi:latest",
                    ))
                    .image_config(function::ImageConfig::new().command(["main.pipeline_handler"]))
                    .role(exec.arn()),
            )
            .unwrap()
    }

    fn pass_machine() -> StateMachineProps {
        StateMachineProps::new(Definition::new("Go").state("Go", Pass::new().end()))
    }

    /// Reference D: the state machine invokes the worker with `s3_key` and
    /// `inference_type` and may call nothing else.
    #[test]
    fn reference_d_machine_may_invoke_the_worker_only() {
        let app = App::new();
        let s = app.stack("VisionPipeline").unwrap();
        let worker = worker(&s);
        let def = Definition::new("Route")
            .comment("Runs one inference on one image")
            .state(
                "Route",
                Choice::new()
                    .when(
                        Condition::or([
                            Condition::string_equals("$.inference_type", "sagemaker"),
                            Condition::string_equals("$.inference_type", "bedrock"),
                            Condition::string_equals("$.inference_type", "azure"),
                        ]),
                        "Infer",
                    )
                    .otherwise("Unsupported"),
            )
            .state(
                "Infer",
                Task::lambda_invoke(worker.arn())
                    .payload(
                        json!({"s3_key.$": "$.s3_key", "inference_type.$": "$.inference_type"}),
                    )
                    .result_selector(json!({"result.$": "$.Payload"}))
                    .end(),
            )
            .state(
                "Unsupported",
                Fail::new()
                    .error("UnsupportedInferenceType")
                    .cause("inference_type must be sagemaker, bedrock or azure"),
            );
        let machine = StateMachine::new(&s, "Pipeline", StateMachineProps::new(def)).unwrap();
        let asm = synth_and_lint(&app, "sfn-reference-d");
        let t = template(&asm, "VisionPipeline");
        assert_eq!(
            policies(&t, "PipelineRole"),
            json!([{
                "PolicyName": "DefaultPolicy",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Action": "lambda:InvokeFunction",
                        "Resource": [{"Fn::GetAtt": ["Worker", "Arn"]}, {"Fn::Sub": "${Worker.Arn}:*"}]
                    }]
                }
            }])
        );
        assert!(
            t["Resources"]["PipelineRole"]["Properties"]
                .get("ManagedPolicyArns")
                .is_none()
        );
        assert_eq!(machine.role().policy().statements().len(), 1);
        let m = &t["Resources"]["Pipeline"]["Properties"];
        assert_eq!(m["RoleArn"], json!({"Fn::GetAtt": ["PipelineRole", "Arn"]}));
        assert_eq!(m["StateMachineType"], "STANDARD");
        assert!(m.get("Definition").is_none(), "DefinitionString only");
        let text = m["DefinitionString"]["Fn::Sub"].as_str().unwrap();
        assert!(
            text.contains(r#""FunctionName": "${Worker.Arn}""#),
            "{text}"
        );

        // The definition with its references resolved passes cfn-lint's
        // ASL schema (which only checks plain-string definitions).
        let resolved = text.replace("${AWS::Partition}", "aws").replace(
            "${Worker.Arn}",
            "arn:aws:lambda:ap-northeast-1:123456789012:function:poc-mc-vision-pipeline-worker",
        );
        let asl: serde_json::Value = serde_json::from_str(&resolved).unwrap();
        assert_eq!(
            asl["States"]["Infer"]["Parameters"]["Payload"]["s3_key.$"],
            "$.s3_key"
        );
        let check = App::new();
        let cs = check.stack("Check").unwrap();
        let role = Role::new(
            &cs,
            "R",
            RoleProps::new(Principal::service("states.amazonaws.com")),
        )
        .unwrap();
        cs.add(
            "M",
            CfnStateMachine::new()
                .definition_string(resolved)
                .role_arn(role.arn()),
        )
        .unwrap();
        lint(&check.synth().unwrap(), "sfn-reference-d-resolved");
    }

    #[test]
    fn defaults_render_a_role_and_a_standard_machine() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let m = StateMachine::new(&s, "M", pass_machine()).unwrap();
        let t = template(&synth_and_lint(&app, "sfn-defaults"), "S");
        assert_eq!(
            t["Resources"]["MRole"],
            json!({
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ]}}
            })
        );
        assert_eq!(
            t["Resources"]["M"],
            json!({
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "DefinitionString": "{\n  \"StartAt\": \"Go\",\n  \"States\": {\n    \"Go\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}",
                    "RoleArn": {"Fn::GetAtt": ["MRole", "Arn"]},
                    "StateMachineType": "STANDARD"
                }
            })
        );
        assert_eq!(Value::from(m.arn()), Value::from(m.cfn().ref_()));
        assert_eq!(Value::from(m.name()), Value::from(m.cfn().get_att("Name")));
    }

    #[test]
    fn logging_and_tracing_add_their_star_statements() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let group = s
            .add(
                "Logs",
                CfnLogGroup::new()
                    .log_group_name("/aws/vendedlogs/states/pipeline")
                    .retention_in_days(14),
            )
            .unwrap();
        group.apply_removal_policy(formwork_core::RemovalPolicy::Retain);
        StateMachine::new(
            &s,
            "M",
            pass_machine()
                .state_machine_name("pipeline")
                .machine_type(StateMachineType::Express)
                .logging(
                    Logging::new(group.arn())
                        .level(LogLevel::All)
                        .include_execution_data(true),
                )
                .tracing(true),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "sfn-logging"), "S");
        let m = &t["Resources"]["M"]["Properties"];
        assert_eq!(m["StateMachineName"], "pipeline");
        assert_eq!(m["StateMachineType"], "EXPRESS");
        assert_eq!(
            m["LoggingConfiguration"],
            json!({
                "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["Logs", "Arn"]}}}],
                "IncludeExecutionData": true,
                "Level": "ALL"
            })
        );
        assert_eq!(m["TracingConfiguration"], json!({"Enabled": true}));
        let statements = &policies(&t, "MRole")[0]["PolicyDocument"]["Statement"];
        assert_eq!(
            statements,
            &json!([
                {"Sid": "LogDelivery", "Effect": "Allow", "Action": LOG_DELIVERY, "Resource": "*"},
                {"Sid": "XRayTracing", "Effect": "Allow", "Action": XRAY, "Resource": "*"}
            ])
        );
    }

    #[test]
    fn logging_defaults_to_errors_without_execution_data() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let arn = "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/vendedlogs/states/x:*";
        StateMachine::new(&s, "M", pass_machine().logging(Logging::new(arn))).unwrap();
        let t = template(&synth_and_lint(&app, "sfn-logging-defaults"), "S");
        assert_eq!(
            t["Resources"]["M"]["Properties"]["LoggingConfiguration"],
            json!({"Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": arn}}], "IncludeExecutionData": false, "Level": "ERROR"})
        );
    }

    #[test]
    fn generic_tasks_grant_what_they_declare_and_lambda_names_become_arns() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let send = PolicyStatement::allow()
            .actions(["sqs:SendMessage"])
            .resource("arn:aws:sqs:ap-northeast-1:123456789012:q");
        let def = Definition::new("Send")
            .state(
                "Send",
                Task::new("arn:aws:states:::sqs:sendMessage")
                    .parameters(json!({"QueueUrl": "https://sqs.ap-northeast-1.amazonaws.com/123456789012/q", "MessageBody.$": "$"}))
                    .permission(send)
                    .next("Call"),
            )
            .state("Call", Task::lambda_invoke("my-function").end());
        StateMachine::new(&s, "M", StateMachineProps::new(def)).unwrap();
        let t = template(&synth_and_lint(&app, "sfn-generic"), "S");
        assert_eq!(
            policies(&t, "MRole")[0]["PolicyDocument"]["Statement"],
            json!([
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:ap-northeast-1:123456789012:q"},
                {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [
                    {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:my-function"},
                    {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:my-function:*"}
                ]}
            ])
        );
    }

    #[test]
    fn nested_lambda_tasks_are_granted_once_per_function() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let w = worker(&s);
        let def = Definition::new("Fan").state(
            "Fan",
            crate::stepfunctions::Parallel::new()
                .branch(Definition::new("A").state("A", Task::lambda_invoke(w.arn()).end()))
                .branch(
                    Definition::new("B").state(
                        "B",
                        crate::stepfunctions::Map::new(
                            Definition::new("C").state("C", Task::lambda_invoke(w.arn()).end()),
                        )
                        .end(),
                    ),
                )
                .end(),
        );
        let m = StateMachine::new(&s, "M", StateMachineProps::new(def)).unwrap();
        synth_and_lint(&app, "sfn-nested");
        let doc = m.role().policy();
        assert_eq!(doc.statements().len(), 1);
        assert_eq!(doc.statements()[0].get_resources().len(), 2);
    }

    #[test]
    fn a_given_role_receives_the_permissions() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let role = Role::new(
            &s,
            "Shared",
            RoleProps::new(Principal::service("states.amazonaws.com")),
        )
        .unwrap();
        let def = Definition::new("Call").state("Call", Task::lambda_invoke("f").end());
        let m = StateMachine::new(&s, "M", StateMachineProps::new(def).role(role.clone())).unwrap();
        let t = template(&synth_and_lint(&app, "sfn-role"), "S");
        assert!(t["Resources"].get("MRole").is_none());
        assert_eq!(
            t["Resources"]["M"]["Properties"]["RoleArn"],
            json!({"Fn::GetAtt": ["Shared", "Arn"]})
        );
        assert_eq!(role.policy().statements().len(), 1);
        assert_eq!(m.role().policy(), role.policy());
    }

    #[test]
    fn grant_start_execution_is_exact_and_the_machine_is_a_grantee() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let m = StateMachine::new(&s, "M", pass_machine()).unwrap();
        let api = Role::new(
            &s,
            "Api",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        )
        .unwrap();
        m.grant_start_execution(&api).unwrap();
        m.grant_start_sync_execution(&api).unwrap();
        // Grants to the machine land on its role.
        const READ: &[GrantSpec] = &[GrantSpec {
            actions: &["s3:GetObject"],
            arn: 0,
        }];
        assert!(iam::grant(&m, READ, &["arn:aws:s3:::images/*".into()]));
        m.add_to_role_policy(
            PolicyStatement::allow()
                .actions(["sqs:SendMessage"])
                .resource("arn:aws:sqs:ap-northeast-1:123456789012:q"),
        );
        let t = template(&synth_and_lint(&app, "sfn-grants"), "S");
        assert_eq!(
            policies(&t, "Api")[0]["PolicyDocument"]["Statement"],
            json!([{"Effect": "Allow", "Action": ["states:StartExecution", "states:StartSyncExecution"], "Resource": {"Ref": "M"}}])
        );
        assert_eq!(
            policies(&t, "MRole")[0]["PolicyDocument"]["Statement"],
            json!([
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::images/*"},
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:ap-northeast-1:123456789012:q"}
            ])
        );
    }

    #[test]
    fn grants_to_something_without_a_role_warn() {
        use crate::iam::testing::NoRole;
        let app = App::new();
        let s = app.stack("S").unwrap();
        let m = StateMachine::new(&s, "M", pass_machine()).unwrap();
        m.grant_start_execution(&NoRole).unwrap();
        let asm = synth_and_lint(&app, "sfn-no-role");
        let w: Vec<_> = asm.warnings.with_code(iam::codes::GRANT_NO_ROLE).collect();
        assert_eq!(w.len(), 1, "{}", asm.warnings);
        assert_eq!(w[0].path, "S/M");
        assert_eq!(
            w[0].message,
            "the grantee has no role, so states:StartExecution was not granted"
        );
    }

    #[test]
    fn bad_names_are_errors() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        StateMachine::new(
            &s,
            "Spaces",
            pass_machine().state_machine_name("my machine"),
        )
        .unwrap();
        StateMachine::new(
            &s,
            "Long",
            pass_machine().state_machine_name("m".repeat(81)),
        )
        .unwrap();
        let ds = app.synth().unwrap_err().diagnostics().unwrap().0.clone();
        let found: Vec<_> = ds
            .iter()
            .filter(|d| d.code == codes::STATE_MACHINE_NAME)
            .collect();
        assert_eq!(found.len(), 2, "{ds:?}");
        assert_eq!(
            (found[0].path.as_str(), found[0].property.as_deref()),
            ("S/Spaces", Some("StateMachineName"))
        );
        assert!(
            found[0].message.contains("the characters ` `"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("81 characters"),
            "{}",
            found[1].message
        );
    }
}
