//! Cluster: an ECS cluster in a VPC.

use formwork_core::typed::Str;
use formwork_core::{Expr, Result, Scope};
use formwork_l1::ecs::{CfnCluster, CfnClusterRef, cluster};

use super::{codes, names};
use crate::ec2::Vpc;
use crate::logs::LogGroup;

/// CloudWatch Container Insights for the cluster's tasks and services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContainerInsights {
    /// `disabled`.
    Disabled,
    /// `enabled`: cluster, service and task metrics (billed as custom metrics).
    Enabled,
    /// `enhanced`: also container-level metrics (billed per observation).
    Enhanced,
}

impl ContainerInsights {
    fn as_str(self) -> &'static str {
        match self {
            ContainerInsights::Disabled => "disabled",
            ContainerInsights::Enabled => "enabled",
            ContainerInsights::Enhanced => "enhanced",
        }
    }
}

/// What a [`Cluster`] is made with: the VPC its services run in.
///
/// Defaults: a name CloudFormation generates; Container Insights as the
/// account's setting says (`aws ecs put-account-setting-default --name
/// containerInsights`), which is off unless someone turned it on.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Vpc, VpcProps};
/// use formwork::ecs::{ClusterProps, ContainerInsights};
/// let app = App::new();
/// let stack = app.stack("Weather")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let props = ClusterProps::new(&vpc)
///     .cluster_name("weather-cluster")
///     .container_insights(ContainerInsights::Enabled);
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClusterProps {
    vpc: Vpc,
    name: Option<Str>,
    insights: Option<ContainerInsights>,
    exec_log_group: Option<LogGroup>,
}

impl ClusterProps {
    /// A cluster for services in `vpc`.
    pub fn new(vpc: &Vpc) -> Self {
        ClusterProps {
            vpc: vpc.clone(),
            name: None,
            insights: None,
            exec_log_group: None,
        }
    }

    /// A fixed name (1 to 255 letters, digits, hyphens and underscores;
    /// checked, `FW3223`). Changing it replaces the cluster.
    pub fn cluster_name(mut self, name: impl Into<Str>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Where ECS Exec sessions of the cluster's tasks are logged: this log
    /// group (`ExecuteCommandConfiguration` with `Logging: OVERRIDE`).
    /// Services with `enable_execute_command` let their task role write
    /// to it. Default: ECS's, which logs into the task's `awslogs` group if
    /// the task role may write there.
    pub fn execute_command_logging(mut self, log_group: &LogGroup) -> Self {
        self.exec_log_group = Some(log_group.clone());
        self
    }

    /// Container Insights (default: the account's setting).
    pub fn container_insights(mut self, insights: ContainerInsights) -> Self {
        self.insights = Some(insights);
        self
    }
}

/// An ECS cluster. Fargate services run in it, in its VPC.
#[derive(Clone, Debug)]
pub struct Cluster {
    cfn: CfnClusterRef,
    scope: Scope,
    vpc: Vpc,
    exec_log_group: Option<LogGroup>,
}

impl Cluster {
    /// Adds a cluster at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::{Cluster, ClusterProps, ContainerInsights};
    /// let app = App::new();
    /// let stack = app.stack("Weather")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc).container_insights(ContainerInsights::Enabled))?;
    /// let t = app.synth()?.template_json("Weather").ok_or("no template")?;
    /// assert_eq!(t["Resources"]["Cluster"]["Properties"]["ClusterSettings"][0]["Value"], "enabled");
    /// # let _ = cluster;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: ClusterProps) -> Result<Cluster> {
        let node = scope.child(id)?;
        let mut cfn = CfnCluster::new();
        if let Some(name) = props.name {
            names::check(
                &node,
                codes::CLUSTER_NAME,
                "ClusterName",
                "cluster name",
                &name,
            );
            cfn = cfn.cluster_name(name);
        }
        if let Some(i) = props.insights {
            cfn = cfn.cluster_settings([cluster::ClusterSettings::new()
                .name("containerInsights")
                .value(i.as_str())]);
        }
        if let Some(g) = &props.exec_log_group {
            cfn = cfn.configuration(
                cluster::ClusterConfiguration::new().execute_command_configuration(
                    cluster::ExecuteCommandConfiguration::new()
                        .logging(cluster::Logging::Override)
                        .log_configuration(
                            cluster::ExecuteCommandLogConfiguration::new()
                                .cloud_watch_log_group_name(g.name()),
                        ),
                ),
            );
        }
        let cfn = node.add_here(cfn)?;
        if matches!(props.insights, None | Some(ContainerInsights::Disabled)) {
            cfn.suppress(
                "CKV_AWS_65",
                "Container Insights is billed per metric; turn it on with ClusterProps::container_insights when its metrics are needed",
            );
        }
        Ok(Cluster {
            cfn,
            scope: node,
            vpc: props.vpc,
            exec_log_group: props.exec_log_group,
        })
    }

    /// The log group ECS Exec sessions are logged to, if one was given.
    pub fn execute_command_log_group(&self) -> Option<&LogGroup> {
        self.exec_log_group.as_ref()
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnClusterRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Ref`: the cluster name.
    pub fn cluster_name(&self) -> Expr {
        self.cfn.ref_()
    }

    /// `Fn::GetAtt Arn`.
    pub fn cluster_arn(&self) -> Expr {
        self.cfn.arn()
    }

    /// The VPC its services run in.
    pub fn vpc(&self) -> &Vpc {
        &self.vpc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::VpcProps;
    use crate::ecs::testutil::{failed, one};
    use formwork_core::App;
    use serde_json::json;

    #[test]
    fn a_cluster_has_no_name_and_no_settings_by_default() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let c = Cluster::new(&s, "Cluster", ClusterProps::new(&vpc)).unwrap();
        assert_eq!(c.cfn().logical_id(), "Cluster");
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-cluster-default");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["Cluster"],
            json!({"Type": "AWS::ECS::Cluster"})
        );
    }

    #[test]
    fn name_and_insights_are_written() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        for (id, i) in [
            ("A", ContainerInsights::Disabled),
            ("B", ContainerInsights::Enabled),
            ("C", ContainerInsights::Enhanced),
        ] {
            Cluster::new(
                &s,
                id,
                ClusterProps::new(&vpc)
                    .cluster_name(format!("weather-{id}"))
                    .container_insights(i),
            )
            .unwrap();
        }
        let asm = formwork_test_support::synth_and_lint(&app, "ecs-cluster-named");
        let t = formwork_test_support::template(&asm, "S");
        assert_eq!(
            t["Resources"]["C"]["Properties"],
            json!({"ClusterName": "weather-C", "ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]})
        );
        assert_eq!(
            t["Resources"]["A"]["Properties"]["ClusterSettings"][0]["Value"],
            "disabled"
        );
        assert_eq!(
            t["Resources"]["B"]["Properties"]["ClusterSettings"][0]["Value"],
            "enabled"
        );
    }

    #[test]
    fn a_bad_cluster_name_is_an_error() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        Cluster::new(
            &s,
            "Cluster",
            ClusterProps::new(&vpc).cluster_name("weather cluster"),
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::CLUSTER_NAME);
        assert_eq!(e.path, "S/Cluster");
        assert_eq!(e.property.as_deref(), Some("ClusterName"));
        assert_eq!(
            e.message,
            "cluster name `weather cluster` contains ` `; allowed: 1 to 255 letters, digits, hyphens and underscores"
        );
    }
}
