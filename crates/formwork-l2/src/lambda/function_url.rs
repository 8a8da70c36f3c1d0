//! Function URLs: a dedicated HTTPS endpoint for a function, with the
//! resource-policy statements its auth type needs.

use formwork_core::{Diagnostic, Expr, Result, Scope, Value};
use formwork_l1::lambda::{CfnPermission, CfnPermissionRef, CfnUrl, CfnUrlRef, permission, url};

use super::func::Function;
use crate::iam::{self, GrantSpec, Grantee};

/// Who may call a function URL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FunctionUrlAuth {
    /// `AWS_IAM` (the default): only signed requests of principals allowed
    /// `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`
    /// ([`FunctionUrl::grant_invoke_url`]).
    #[default]
    AwsIam,
    /// `NONE`: anyone on the internet. The function's resource policy gets
    /// the two public statements Lambda requires.
    None,
}

/// How a function URL returns the response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InvokeMode {
    /// `BUFFERED` (the default): the whole response at once, up to 6 MB.
    #[default]
    Buffered,
    /// `RESPONSE_STREAM`: streamed as the function writes it (server-sent
    /// events), up to the function's timeout.
    ResponseStream,
}

/// What [`Function::add_function_url`] makes.
///
/// ```
/// use formwork::lambda::url::{AllowMethods, Cors};
/// use formwork::lambda::{FunctionUrlAuth, FunctionUrlProps, InvokeMode};
/// let props = FunctionUrlProps::new()
///     .auth_type(FunctionUrlAuth::AwsIam)
///     .invoke_mode(InvokeMode::ResponseStream)
///     .cors(Cors::new().allow_origins(["https://yourdomain.com"]).allow_methods([AllowMethods::Post]));
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionUrlProps {
    auth_type: FunctionUrlAuth,
    cors: Option<url::Cors>,
    invoke_mode: InvokeMode,
}

impl FunctionUrlProps {
    /// `AWS_IAM`, buffered, no CORS.
    pub fn new() -> Self {
        FunctionUrlProps::default()
    }

    /// Who may call it.
    pub fn auth_type(mut self, auth: FunctionUrlAuth) -> Self {
        self.auth_type = auth;
        self
    }

    /// CORS for browsers calling it.
    pub fn cors(mut self, cors: url::Cors) -> Self {
        self.cors = Some(cors);
        self
    }

    /// Buffered or streamed responses.
    pub fn invoke_mode(mut self, mode: InvokeMode) -> Self {
        self.invoke_mode = mode;
        self
    }
}

/// A function URL (`AWS::Lambda::Url`).
#[derive(Clone, Debug)]
pub struct FunctionUrl {
    cfn: CfnUrlRef,
    scope: Scope,
    function_arn: Expr,
    public: Vec<CfnPermissionRef>,
}

/// Calling through the URL takes both actions (since October 2025).
const INVOKE_URL: &[GrantSpec] = &[GrantSpec {
    actions: &["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"],
    arn: 0,
}];

impl Function {
    /// Gives the function a URL (`<function>/Url`). With
    /// [`FunctionUrlAuth::None`] the function's resource policy also gets
    /// `lambda:InvokeFunctionUrl` for `*` with `FunctionUrlAuthType: NONE`
    /// and `lambda:InvokeFunction` for `*` with `InvokedViaFunctionUrl:
    /// true` (both are required for URLs created since October 2025; the
    /// second allows invocation through the URL only).
    ///
    /// ```
    /// use formwork::{App, Output};
    /// use formwork::lambda::{Code, Function, FunctionProps, FunctionUrlAuth, FunctionUrlProps, Runtime};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let f = Function::new(&stack, "Hello", FunctionProps::new(Code::inline("exports.handler = async () => 'hi';")).runtime(Runtime::Nodejs24X).handler("index.handler"))?;
    /// let url = f.add_function_url(FunctionUrlProps::new().auth_type(FunctionUrlAuth::None))?;
    /// stack.add_output("HelloUrl", Output::new(url.url()))?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_function_url(&self, props: FunctionUrlProps) -> Result<FunctionUrl> {
        let node = self.scope.child("Url")?;
        let mut cfn = CfnUrl::new()
            .target_function_arn(self.arn())
            .auth_type(match props.auth_type {
                FunctionUrlAuth::AwsIam => url::AuthType::AwsIam,
                FunctionUrlAuth::None => url::AuthType::None,
            })
            .invoke_mode(match props.invoke_mode {
                InvokeMode::Buffered => url::InvokeMode::Buffered,
                InvokeMode::ResponseStream => url::InvokeMode::ResponseStream,
            });
        if let Some(c) = props.cors {
            if c.get_allow_methods().is_none() {
                node.report(
                    Diagnostic::warning(
                        super::codes::CORS_NO_METHODS,
                        node.path(),
                        "the CORS rule allows no method: browsers send a preflight (OPTIONS) before every cross-origin request that is not a simple GET, HEAD or form POST (a JSON POST, PUT, DELETE, or any request with an Authorization header), get no Access-Control-Allow-Methods back, and block the request",
                    )
                    .property("Cors.AllowMethods")
                    .fix("list the methods the web app uses: Cors::new().allow_methods([AllowMethods::Post, …])"),
                );
            }
            cfn = cfn.cors(c);
        }
        let cfn = node.add_here(cfn)?;
        let mut public = Vec::new();
        if props.auth_type == FunctionUrlAuth::None {
            public.push(
                node.add(
                    "InvokeFunctionUrl",
                    CfnPermission::new()
                        .action("lambda:InvokeFunctionUrl")
                        .function_name(self.arn())
                        .principal("*")
                        .function_url_auth_type(permission::FunctionUrlAuthType::None),
                )?,
            );
            public.push(
                node.add(
                    "InvokeFunction",
                    CfnPermission::new()
                        .action("lambda:InvokeFunction")
                        .function_name(self.arn())
                        .principal("*")
                        .invoked_via_function_url(true),
                )?,
            );
        }
        Ok(FunctionUrl {
            cfn,
            scope: node,
            function_arn: self.arn(),
            public,
        })
    }
}

impl FunctionUrl {
    /// The L1 resource.
    pub fn cfn(&self) -> &CfnUrlRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Fn::GetAtt FunctionUrl`: the `https://<id>.lambda-url.<region>.on.aws/` endpoint.
    pub fn url(&self) -> Expr {
        self.cfn.function_url()
    }

    /// The public resource-policy statements (`AWS::Lambda::Permission`)
    /// of a URL with [`FunctionUrlAuth::None`]; empty for `AWS_IAM`.
    pub fn public_permissions(&self) -> &[CfnPermissionRef] {
        &self.public
    }

    /// Lets the grantee call the URL (`AWS_IAM` auth): `lambda:InvokeFunctionUrl`
    /// and `lambda:InvokeFunction` on the function. A grantee without a role
    /// formwork manages gets warning `FW2001` ([`iam::codes::GRANT_NO_ROLE`]).
    #[track_caller]
    pub fn grant_invoke_url(&self, grantee: &dyn Grantee) -> Result<()> {
        let arns = [Value::from(self.function_arn.clone())];
        iam::grant_or_report(&self.scope, grantee, INVOKE_URL, &arns);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::{Principal, Role, RoleProps};
    use crate::lambda::runtime::CivilDate;
    use crate::lambda::{Code, FunctionProps, Runtime};
    use formwork_core::{App, Output, Stack};
    use formwork_l1::lambda::url::AllowMethods;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    fn function(s: &Stack) -> Function {
        let props = FunctionProps::new(Code::inline("exports.handler = async () => 'hi';"))
            .runtime(Runtime::Nodejs24X)
            .handler("index.handler");
        Function::build(s, "Fn", props, CivilDate::parse("2026-11-22").unwrap()).unwrap()
    }

    #[test]
    fn default_url_is_iam_authenticated_and_buffered_with_no_public_statement() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let f = function(&s);
        let url = f.add_function_url(FunctionUrlProps::new()).unwrap();
        assert!(url.public_permissions().is_empty());
        assert_eq!(url.cfn().logical_id(), "FnUrl");
        s.add_output("Url", Output::new(url.url())).unwrap();
        let asm = synth_and_lint(&app, "lambda-url-iam");
        let t = template(&asm, "S");
        assert_eq!(
            t["Resources"]["FnUrl"],
            json!({
                "Type": "AWS::Lambda::Url",
                "Properties": {
                    "AuthType": "AWS_IAM",
                    "InvokeMode": "BUFFERED",
                    "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}
                }
            })
        );
        let permissions = t["Resources"].as_object().map_or(0, |r| {
            r.values()
                .filter(|v| v["Type"] == "AWS::Lambda::Permission")
                .count()
        });
        assert_eq!(permissions, 0);
        assert_eq!(
            t["Outputs"]["Url"]["Value"],
            json!({"Fn::GetAtt": ["FnUrl", "FunctionUrl"]})
        );
        // One URL per function.
        assert!(f.add_function_url(FunctionUrlProps::new()).is_err());
    }

    #[test]
    fn cors_without_methods_is_a_warning_about_preflight() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let f = function(&s);
        f.add_function_url(
            FunctionUrlProps::new()
                .cors(url::Cors::new().allow_origins(["https://yourdomain.com"])),
        )
        .unwrap();
        let asm = app.synth().unwrap();
        let w: Vec<_> = asm
            .warnings
            .with_code(crate::lambda::codes::CORS_NO_METHODS)
            .collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "S/Fn/Url");
        assert_eq!(w[0].property.as_deref(), Some("Cors.AllowMethods"));
        assert!(
            w[0].message.contains("block the request"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn public_streaming_url_gets_both_public_statements() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let f = function(&s);
        let url = f
            .add_function_url(
                FunctionUrlProps::new()
                    .auth_type(FunctionUrlAuth::None)
                    .invoke_mode(InvokeMode::ResponseStream)
                    .cors(
                        url::Cors::new()
                            .allow_origins(["https://yourdomain.com"])
                            .allow_methods([AllowMethods::Post])
                            .max_age(3000),
                    ),
            )
            .unwrap();
        assert_eq!(url.public_permissions().len(), 2);
        let t = template(&synth_and_lint(&app, "lambda-url-public"), "S");
        assert_eq!(
            t["Resources"]["FnUrl"]["Properties"],
            json!({
                "AuthType": "NONE",
                "Cors": {"AllowMethods": ["POST"], "AllowOrigins": ["https://yourdomain.com"], "MaxAge": 3000},
                "InvokeMode": "RESPONSE_STREAM",
                "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}
            })
        );
        assert_eq!(
            t["Resources"]["FnUrlInvokeFunctionUrl"],
            json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunctionUrl",
                    "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]},
                    "FunctionUrlAuthType": "NONE",
                    "Principal": "*"
                }
            })
        );
        assert_eq!(
            t["Resources"]["FnUrlInvokeFunction"],
            json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]},
                    "InvokedViaFunctionUrl": true,
                    "Principal": "*"
                }
            })
        );
    }

    use crate::iam::testing::NoRole;

    #[test]
    fn grant_invoke_url_gives_both_actions_on_the_function() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let f = function(&s);
        let url = f.add_function_url(FunctionUrlProps::new()).unwrap();
        let caller = Role::new(&s, "Caller", RoleProps::new(Principal::this_account())).unwrap();
        url.grant_invoke_url(&caller).unwrap();
        url.grant_invoke_url(&NoRole).unwrap();
        let asm = synth_and_lint(&app, "lambda-url-grant");
        let d = asm
            .warnings
            .with_code(iam::codes::GRANT_NO_ROLE)
            .next()
            .expect("FW2001");
        assert_eq!(d.path, "S/Fn/Url");
        assert_eq!(
            d.message,
            "the grantee has no role, so lambda:InvokeFunctionUrl, lambda:InvokeFunction was not granted"
        );
        assert_eq!(url.scope().path(), "S/Fn/Url");
        assert_eq!(
            template(&asm, "S")["Resources"]["Caller"]["Properties"]["Policies"][0]["PolicyDocument"]
                ["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"],
                "Resource": {"Fn::GetAtt": ["Fn", "Arn"]}
            }])
        );
    }
}
