//! What a CI pipeline needs to roll a service onto a new image, and nothing
//! more.

use formwork_core::Result;

use crate::iam::{GrantSpec, Grantee, grant_or_report};

use super::service::FargateService;

const FORCE_NEW_DEPLOYMENT: &[GrantSpec] = &[GrantSpec {
    actions: &["ecs:UpdateService", "ecs:DescribeServices"],
    arn: 0,
}];

impl FargateService {
    /// Lets the grantee (a CI role, say) run `aws ecs update-service
    /// --force-new-deployment` on this service and wait for it
    /// (`ecs:UpdateService`, `ecs:DescribeServices` on the service's ARN),
    /// and nothing else: no other service, no task definition, no
    /// `iam:PassRole`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::ecs::{Cluster, ClusterProps, ContainerImage, ContainerProps, FargateService, FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps};
    /// use formwork::iam::{Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Web")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cluster = Cluster::new(&stack, "Cluster", ClusterProps::new(&vpc))?;
    /// let task = FargateTaskDefinition::new(&stack, "Task", FargateTaskDefinitionProps::new())?;
    /// task.add_container("app", ContainerProps::new(ContainerImage::from_registry("nginx:1.27")))?;
    /// let service = FargateService::new(&stack, "Service", FargateServiceProps::new(&cluster, &task))?;
    /// let ci = Role::new(&stack, "Ci", RoleProps::new(Principal::this_account()))?;
    /// service.grant_force_new_deployment(&ci)?;
    /// assert_eq!(ci.policy().statements()[0].get_actions(), ["ecs:UpdateService", "ecs:DescribeServices"]);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn grant_force_new_deployment(&self, grantee: &dyn Grantee) -> Result<()> {
        grant_or_report(
            self.scope(),
            grantee,
            FORCE_NEW_DEPLOYMENT,
            &[self.service_arn().into()],
        );
        Ok(())
    }
}
