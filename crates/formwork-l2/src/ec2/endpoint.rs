//! VPC endpoints: gateway endpoints (S3, DynamoDB) in route tables, and
//! interface endpoints (PrivateLink) in subnets.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Fn, Pseudo, Result, Scope, Value};
use formwork_l1::ec2::{CfnVpcEndpoint, CfnVpcEndpointRef, vpc_endpoint};

use crate::iam::{PolicyDocument, PolicyStatement};

use super::codes;
use super::connections::{Connectable, Connections};
use super::port::Port;
use super::security_group::SecurityGroup;
use super::subnet::SelectedSubnets;
use super::vpc::Vpc;

/// The AWS services reached through a gateway endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GatewayEndpointService {
    /// Amazon S3 (`com.amazonaws.<region>.s3`).
    S3,
    /// Amazon DynamoDB (`com.amazonaws.<region>.dynamodb`).
    DynamoDb,
}

impl GatewayEndpointService {
    fn short_name(self) -> &'static str {
        match self {
            GatewayEndpointService::S3 => "s3",
            GatewayEndpointService::DynamoDb => "dynamodb",
        }
    }
}

fn aws_service_name(short: &str) -> Expr {
    Fn::concat([
        Value::from("com.amazonaws."),
        Pseudo::Region.into(),
        Value::from(format!(".{short}")),
    ])
}

/// The service an interface endpoint connects to.
///
/// ```
/// use formwork::ec2::InterfaceEndpointService;
/// let ecr = InterfaceEndpointService::aws("ecr.api");
/// let partner = InterfaceEndpointService::custom("com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0");
/// # let _ = (ecr, partner);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct InterfaceEndpointService {
    name: Str,
    private_dns: bool,
}

impl InterfaceEndpointService {
    /// An AWS service by its short name (`ecr.api`, `ecr.dkr`, `logs`,
    /// `secretsmanager`): `com.amazonaws.${AWS::Region}.<name>`, with
    /// private DNS so that the usual endpoint names resolve to it.
    pub fn aws(short_name: &str) -> InterfaceEndpointService {
        InterfaceEndpointService {
            name: aws_service_name(short_name).into(),
            private_dns: true,
        }
    }

    /// A service by its full name (an endpoint service of another account),
    /// without private DNS.
    pub fn custom(service_name: impl Into<Str>) -> InterfaceEndpointService {
        InterfaceEndpointService {
            name: service_name.into(),
            private_dns: false,
        }
    }

    /// Turns private DNS on or off.
    pub fn private_dns(mut self, on: bool) -> InterfaceEndpointService {
        self.private_dns = on;
        self
    }
}

/// A gateway endpoint (S3 or DynamoDB): routes in the selected subnets'
/// route tables, so that traffic to the service stays in the AWS network
/// and needs no NAT gateway. Free of charge.
///
/// Its policy allows everything until a statement is added with
/// [`GatewayEndpoint::add_to_policy`]; then only what the statements allow.
#[derive(Clone, Debug)]
pub struct GatewayEndpoint {
    cfn: CfnVpcEndpointRef,
    scope: Scope,
    policy: Rc<RefCell<PolicyDocument>>,
}

impl GatewayEndpoint {
    /// The L1 resource.
    pub fn cfn(&self) -> &CfnVpcEndpointRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The endpoint id (`Ref`).
    pub fn endpoint_id(&self) -> Expr {
        self.cfn.ref_()
    }

    /// Adds a statement to the endpoint policy (statements of an endpoint
    /// policy name a principal, often `Principal::Any` with a condition).
    pub fn add_to_policy(&self, statement: PolicyStatement) {
        let doc = {
            let mut p = self.policy.borrow_mut();
            p.add(statement);
            p.clone()
        };
        self.cfn.update(|r| r.policy_document(doc));
    }
}

/// An interface endpoint (PrivateLink): network interfaces in the selected
/// subnets, in a security group. Its connections default to port 443, and
/// nothing reaches it until a rule says so:
/// `endpoint.connections().allow_default_port_from(&tasks, "..")`.
#[derive(Clone, Debug)]
pub struct InterfaceEndpoint {
    cfn: CfnVpcEndpointRef,
    scope: Scope,
    group: SecurityGroup,
}

impl InterfaceEndpoint {
    /// The L1 resource.
    pub fn cfn(&self) -> &CfnVpcEndpointRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The endpoint id (`Ref`).
    pub fn endpoint_id(&self) -> Expr {
        self.cfn.ref_()
    }
}

impl Connectable for InterfaceEndpoint {
    fn connections(&self) -> Connections {
        Connections::new([self.group.clone()]).with_default_port(Port::tcp(443))
    }
}

impl Vpc {
    /// Adds a gateway endpoint at `vpc/id` (`AWS::EC2::VPCEndpoint`,
    /// `VpcEndpointType: Gateway`) to the route tables of `subnets`.
    ///
    /// Checked: the selection is not empty (`FW3009`) and its route tables
    /// are known (`FW3011`: not for imported subnets).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{GatewayEndpointService, SubnetType, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Sessions")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let s3 = vpc.add_gateway_endpoint("S3Endpoint", GatewayEndpointService::S3, &vpc.select_subnets(SubnetType::Private))?;
    /// assert_eq!(s3.cfn().logical_id(), "VpcS3Endpoint");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_gateway_endpoint(
        &self,
        id: &str,
        service: GatewayEndpointService,
        subnets: &SelectedSubnets,
    ) -> Result<GatewayEndpoint> {
        let node = self.scope().child(id)?;
        if subnets.check_not_empty(&node, "RouteTableIds") {
            let unknown = subnets
                .subnets()
                .iter()
                .filter(|s| s.route_table().is_none())
                .count();
            if unknown > 0 {
                node.report(
                    Diagnostic::error(
                        codes::ENDPOINT_ROUTE_TABLES,
                        node.path(),
                        format!("{unknown} of the selected subnets have no known route table (imported subnets)"),
                    )
                    .property("RouteTableIds")
                    .fix("add the endpoint where the VPC is defined, or use the L1 CfnVpcEndpoint with route table ids"),
                );
            }
        }
        let cfn = node.add_here(
            CfnVpcEndpoint::new()
                .vpc_id(self.vpc_id())
                .service_name(aws_service_name(service.short_name()))
                .vpc_endpoint_type(vpc_endpoint::VpcEndpointType::Gateway)
                .route_table_ids(subnets.route_table_ids()),
        )?;
        Ok(GatewayEndpoint {
            cfn,
            scope: node,
            policy: Rc::new(RefCell::new(PolicyDocument::new())),
        })
    }

    /// Adds an interface endpoint at `vpc/id` (`VpcEndpointType:
    /// Interface`) with network interfaces in `subnets`, in `security_group`.
    ///
    /// Checked: the selection is not empty (`FW3009`), has one subnet per
    /// zone (`FW3010`), and private DNS has the VPC's DNS support and
    /// hostnames on (`FW3012`).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Connectable, InterfaceEndpointService, SecurityGroup, SecurityGroupProps, SubnetType, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let sg = SecurityGroup::new(&stack, "EndpointSg", SecurityGroupProps::new(&vpc))?;
    /// let tasks = SecurityGroup::new(&stack, "TaskSg", SecurityGroupProps::new(&vpc))?;
    /// let secrets = vpc.add_interface_endpoint(
    ///     "SecretsEndpoint",
    ///     InterfaceEndpointService::aws("secretsmanager"),
    ///     &vpc.select_subnets(SubnetType::Private),
    ///     &sg,
    /// )?;
    /// secrets.connections().allow_default_port_from(&tasks, "Secrets Manager from the tasks")?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_interface_endpoint(
        &self,
        id: &str,
        service: InterfaceEndpointService,
        subnets: &SelectedSubnets,
        security_group: &SecurityGroup,
    ) -> Result<InterfaceEndpoint> {
        let node = self.scope().child(id)?;
        if subnets.check_not_empty(&node, "SubnetIds") {
            subnets.check_one_per_zone(&node, "SubnetIds");
        }
        if service.private_dns && !self.dns_enabled() {
            node.report(
                Diagnostic::error(
                    codes::ENDPOINT_PRIVATE_DNS,
                    node.path(),
                    "private DNS needs the VPC's DNS support and DNS hostnames, and the VPC turns one of them off",
                )
                .property("PrivateDnsEnabled")
                .fix("turn DNS support and hostnames on in VpcProps, or use .private_dns(false)"),
            );
        }
        let cfn = node.add_here(
            CfnVpcEndpoint::new()
                .vpc_id(self.vpc_id())
                .service_name(service.name)
                .vpc_endpoint_type(vpc_endpoint::VpcEndpointType::Interface)
                .private_dns_enabled(service.private_dns)
                .subnet_ids(subnets.ids())
                .security_group_ids([security_group.security_group_id()]),
        )?;
        Ok(InterfaceEndpoint {
            cfn,
            scope: node,
            group: security_group.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::testutil::{failed, of_type, one};
    use crate::ec2::{SecurityGroupProps, SubnetSelection, SubnetType, VpcAttributes, VpcProps};
    use crate::iam::Principal;
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    /// Reference E: load balancer public; tasks and Redis private; S3
    /// reached through a gateway endpoint in the private subnets' route tables.
    #[test]
    fn reference_e_gateway_endpoint_for_s3() {
        let app = App::new();
        let s = app.stack("SessionStore").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let private = vpc.select_subnets(SubnetType::Private);
        let s3 = vpc
            .add_gateway_endpoint("S3Endpoint", GatewayEndpointService::S3, &private)
            .unwrap();
        let alb =
            SecurityGroup::new(&s, "AlbSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
        let backend =
            SecurityGroup::new(&s, "BackendSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
        let redis =
            SecurityGroup::new(&s, "RedisSecurityGroup", SecurityGroupProps::new(&vpc)).unwrap();
        alb.connections()
            .allow_from_any_ipv4(Port::tcp(443), "HTTPS from the internet")
            .unwrap();
        backend
            .connections()
            .allow_from(&alb, Port::tcp(8080), "API from the load balancer")
            .unwrap();
        Connections::new([redis])
            .with_default_port(Port::tcp(6379))
            .allow_default_port_from(&backend, "Redis from the backend")
            .unwrap();
        assert_eq!(s3.cfn().logical_id(), "VpcS3Endpoint");
        let t = template(&synth_and_lint(&app, "ec2-reference-e"), "SessionStore");
        assert_eq!(
            t["Resources"]["VpcS3Endpoint"],
            json!({
                "Type": "AWS::EC2::VPCEndpoint",
                "Properties": {
                    "RouteTableIds": [
                        {"Ref": "VpcPrivateSubnet1RouteTable"},
                        {"Ref": "VpcPrivateSubnet2RouteTable"}
                    ],
                    "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"},
                    "VpcEndpointType": "Gateway",
                    "VpcId": {"Ref": "Vpc"}
                }
            })
        );
        assert!(t["Resources"]["RedisSecurityGroupFromBackendSecurityGroup6379"].is_object());
        assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupIngress").len(), 2);
    }

    #[test]
    fn dynamodb_endpoint_with_a_policy_over_every_subnet() {
        let app = App::new();
        let s = app.stack("Data").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let ddb = vpc
            .add_gateway_endpoint(
                "Dynamo",
                GatewayEndpointService::DynamoDb,
                &vpc.select_subnets(SubnetSelection::All),
            )
            .unwrap();
        ddb.add_to_policy(
            PolicyStatement::allow()
                .principal(Principal::Any)
                .actions(["dynamodb:GetItem"])
                .resource("arn:aws:dynamodb:ap-northeast-1:123456789012:table/sessions"),
        );
        let t = template(&synth_and_lint(&app, "ec2-dynamodb-endpoint"), "Data");
        let p = &t["Resources"]["VpcDynamo"]["Properties"];
        assert_eq!(
            p["ServiceName"],
            json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.dynamodb"})
        );
        assert_eq!(p["RouteTableIds"].as_array().unwrap().len(), 4);
        assert_eq!(
            p["PolicyDocument"]["Statement"][0]["Action"],
            "dynamodb:GetItem"
        );
        assert_eq!(p["PolicyDocument"]["Statement"][0]["Principal"], "*");
    }

    #[test]
    fn interface_endpoint_with_private_dns_in_its_group() {
        let app = App::new();
        let s = app.stack("Svc").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let sg = SecurityGroup::new(&s, "EndpointSg", SecurityGroupProps::new(&vpc)).unwrap();
        let tasks = SecurityGroup::new(&s, "TaskSg", SecurityGroupProps::new(&vpc)).unwrap();
        let ep = vpc
            .add_interface_endpoint(
                "EcrApi",
                InterfaceEndpointService::aws("ecr.api"),
                &vpc.select_subnets(SubnetType::Private),
                &sg,
            )
            .unwrap();
        assert_eq!(ep.connections().default_port(), Some(Port::tcp(443)));
        ep.connections()
            .allow_default_port_from(&tasks, "ECR API from the tasks")
            .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-interface-endpoint"), "Svc");
        assert_eq!(
            t["Resources"]["VpcEcrApi"]["Properties"],
            json!({
                "PrivateDnsEnabled": true,
                "SecurityGroupIds": [{"Fn::GetAtt": ["EndpointSg", "GroupId"]}],
                "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.ecr.api"},
                "SubnetIds": [{"Ref": "VpcPrivateSubnet1Subnet"}, {"Ref": "VpcPrivateSubnet2Subnet"}],
                "VpcEndpointType": "Interface",
                "VpcId": {"Ref": "Vpc"}
            })
        );
        assert_eq!(
            t["Resources"]["EndpointSgFromTaskSg443"]["Properties"]["SourceSecurityGroupId"],
            json!({"Fn::GetAtt": ["TaskSg", "GroupId"]})
        );
    }

    #[test]
    fn custom_interface_service_has_no_private_dns() {
        let app = App::new();
        let s = app.stack("Svc").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new().enable_dns_hostnames(false)).unwrap();
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
        let name = "com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0";
        vpc.add_interface_endpoint(
            "Partner",
            InterfaceEndpointService::custom(name),
            &vpc.select_subnets(SubnetType::Private),
            &sg,
        )
        .unwrap();
        let t = template(&app.synth().unwrap(), "Svc");
        assert_eq!(
            t["Resources"]["VpcPartner"]["Properties"]["PrivateDnsEnabled"],
            false
        );
        assert_eq!(
            t["Resources"]["VpcPartner"]["Properties"]["ServiceName"],
            name
        );
    }

    #[test]
    fn gateway_endpoint_without_subnets_is_an_error() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        vpc.add_gateway_endpoint(
            "S3",
            GatewayEndpointService::S3,
            &vpc.select_subnets(SubnetType::Isolated),
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::NO_SUBNETS);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Net/Vpc/S3", Some("RouteTableIds"))
        );
    }

    #[test]
    fn gateway_endpoint_on_imported_subnets_is_an_error() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::from_attributes(
            &s,
            "Shared",
            VpcAttributes {
                private_subnet_ids: vec!["subnet-0a".into()],
                ..VpcAttributes::new("vpc-0abc", ["ap-northeast-1a"])
            },
        )
        .unwrap();
        vpc.add_gateway_endpoint(
            "S3",
            GatewayEndpointService::S3,
            &vpc.select_subnets(SubnetType::Private),
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::ENDPOINT_ROUTE_TABLES);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Net/Shared/S3", Some("RouteTableIds"))
        );
        assert_eq!(
            e.message,
            "1 of the selected subnets have no known route table (imported subnets)"
        );
    }

    #[test]
    fn interface_endpoint_needs_one_subnet_per_zone() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
        vpc.add_interface_endpoint(
            "Logs",
            InterfaceEndpointService::aws("logs"),
            &vpc.select_subnets(SubnetSelection::All),
            &sg,
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::DUPLICATE_ZONE);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Net/Vpc/Logs", Some("SubnetIds"))
        );
    }

    #[test]
    fn private_dns_needs_vpc_dns() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new().enable_dns_support(false)).unwrap();
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
        vpc.add_interface_endpoint(
            "Logs",
            InterfaceEndpointService::aws("logs"),
            &vpc.select_subnets(SubnetType::Private),
            &sg,
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::ENDPOINT_PRIVATE_DNS);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Net/Vpc/Logs", Some("PrivateDnsEnabled"))
        );
        assert_eq!(
            e.message,
            "private DNS needs the VPC's DNS support and DNS hostnames, and the VPC turns one of them off"
        );
    }
}
