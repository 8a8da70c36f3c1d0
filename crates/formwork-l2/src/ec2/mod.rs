//! EC2 networking: VPCs with subnets, routes and endpoints; security groups
//! and the connections model that other constructs build on.
//!
//! - [`Vpc`]: a VPC over several zones with public, private (NAT) and
//!   isolated subnet groups, subnet blocks computed at synth;
//!   [`Vpc::select_subnets`] gives the [`SelectedSubnets`] a load balancer,
//!   a service or a cache goes into; [`Vpc::from_attributes`] uses an
//!   existing VPC; gateway and interface endpoints.
//! - [`SecurityGroup`], [`Port`], [`Peer`], and [`Connections`]: rules read
//!   as the architecture is described (`tasks.connections().allow_from(&alb,
//!   Port::tcp(8501), "..")`). Constructs with security groups implement
//!   [`Connectable`].
//!
//! A whole network for a web service behind a load balancer:
//!
//! ```
//! use formwork::App;
//! use formwork::ec2::{Connectable, Port, SecurityGroup, SecurityGroupProps, SubnetType, Vpc, VpcProps};
//! let app = App::new();
//! let stack = app.stack("Weather")?;
//! let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?; // 2 zones, public + private, one NAT
//! let alb = SecurityGroup::new(&stack, "AlbSecurityGroup", SecurityGroupProps::new(&vpc))?;
//! let tasks = SecurityGroup::new(&stack, "ServiceSecurityGroup", SecurityGroupProps::new(&vpc))?;
//! alb.connections().allow_from_any_ipv4(Port::tcp(443), "HTTPS from the internet")?;
//! tasks.connections().allow_from(&alb, Port::tcp(8501), "Streamlit from the load balancer")?;
//! let public = vpc.select_subnets(SubnetType::Public);
//! assert_eq!(public.len(), 2);
//! # Ok::<(), formwork::Error>(())
//! ```

mod cidr;
mod connections;
mod endpoint;
mod peer;
mod port;
mod security_group;
mod subnet;
#[cfg(test)]
pub(crate) mod testutil;
mod vpc;

pub use connections::{Connectable, Connections};
pub use endpoint::{
    GatewayEndpoint, GatewayEndpointService, InterfaceEndpoint, InterfaceEndpointService,
};
pub use peer::Peer;
pub use port::{IpProtocol, Port};
pub use security_group::{SecurityGroup, SecurityGroupProps};
pub use subnet::{SelectedSubnets, Subnet, SubnetGroup, SubnetSelection, SubnetType};
pub use vpc::{NatGateways, Vpc, VpcAttributes, VpcProps};

/// Diagnostic codes of the EC2 constructs (`FW30xx`).
pub mod codes {
    /// The VPC block is not an IPv4 CIDR block of prefix length /16 to /28
    /// written as its network address.
    pub const VPC_CIDR: &str = "FW3001";
    /// The number of availability zones is not 1 to 6.
    pub const ZONE_COUNT: &str = "FW3002";
    /// A subnet group's prefix length is not /16 to /28, or is shorter than the VPC's.
    pub const SUBNET_MASK: &str = "FW3003";
    /// The subnets do not fit in the VPC block.
    pub const SUBNETS_DO_NOT_FIT: &str = "FW3004";
    /// A subnet group name is empty, has `/`, or is used twice.
    pub const SUBNET_GROUP_NAME: &str = "FW3005";
    /// A private (NAT) subnet group without a public group to hold the NAT gateways.
    pub const NAT_WITHOUT_PUBLIC_SUBNETS: &str = "FW3006";
    /// An imported VPC, subnet or security group id that does not look like one.
    pub const IMPORTED_ID: &str = "FW3007";
    /// An imported VPC without zones, or with subnet lists that do not match its zones.
    pub const IMPORTED_SUBNETS: &str = "FW3008";
    /// A subnet selection that matches no subnet, where subnets are needed.
    pub const NO_SUBNETS: &str = "FW3009";
    /// Two selected subnets in one zone, where one per zone is allowed.
    pub const DUPLICATE_ZONE: &str = "FW3010";
    /// A gateway endpoint for subnets whose route tables are not known.
    pub const ENDPOINT_ROUTE_TABLES: &str = "FW3011";
    /// An interface endpoint with private DNS in a VPC without DNS support or hostnames.
    pub const ENDPOINT_PRIVATE_DNS: &str = "FW3012";
    /// A port range that starts after it ends.
    pub const PORT: &str = "FW3020";
    /// A peer that is not a valid CIDR block or prefix list id.
    pub const PEER: &str = "FW3021";
    /// A group or rule description EC2 refuses (length or characters).
    pub const DESCRIPTION: &str = "FW3022";
    /// A security group name EC2 refuses.
    pub const GROUP_NAME: &str = "FW3023";
    /// `allow_default_port_*` on connections without a default port.
    pub const NO_DEFAULT_PORT: &str = "FW3024";
    /// Warning: SSH (22) or RDP (3389) open to the whole internet.
    pub const ADMIN_PORT_OPEN: &str = "FW3025";
}
