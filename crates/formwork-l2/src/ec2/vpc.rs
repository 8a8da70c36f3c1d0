//! Vpc: a VPC with subnets over several availability zones, its gateways
//! and routes; existing VPCs by id.

use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Fn, Result, Scope, Value, logical_id_for_path};
use formwork_l1::ec2::{
    CfnEip, CfnInternetGateway, CfnInternetGatewayRef, CfnNatGateway, CfnNatGatewayRef, CfnRoute,
    CfnRouteTable, CfnSubnet, CfnSubnetRouteTableAssociation, CfnVpc, CfnVpcGatewayAttachment,
    CfnVpcGatewayAttachmentRef, CfnVpcRef, eip, internet_gateway, nat_gateway, route_table, subnet,
    vpc,
};

use super::cidr::{Ipv4Cidr, carve};
use super::codes;
use super::subnet::{SelectedSubnets, Subnet, SubnetGroup, SubnetSelection, SubnetType};

/// The most availability zones a VPC spreads over (no region has more).
const MAX_ZONES: usize = 6;

/// How many NAT gateways private subnets share.
///
/// A NAT gateway is billed by the hour and by the GB it processes: about
/// 33 USD a month in us-east-1 and 45 USD in ap-northeast-1 before traffic
/// (0.045 and 0.062 USD an hour), so one gateway is most of the network
/// cost of a small service.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NatGateways {
    /// One NAT gateway, in the first zone's public subnet, for every private
    /// subnet (the default: cheapest; private subnets lose internet access if
    /// that zone fails).
    #[default]
    One,
    /// One NAT gateway per zone, each private subnet using its own zone's
    /// (survives a zone failure; costs one gateway per zone).
    PerZone,
}

/// What a [`Vpc`] is made with.
///
/// Defaults: CIDR `10.0.0.0/16`; 2 availability zones; DNS support and DNS
/// hostnames on (needed by interface endpoints and EFS names); one public
/// group `Public` and one private group `Private` (`/24` each), so four
/// subnets; one NAT gateway ([`NatGateways::One`]).
///
/// ```
/// use formwork::ec2::{NatGateways, SubnetGroup, VpcProps};
/// let props = VpcProps::new()
///     .cidr("10.20.0.0/16")
///     .zone_count(3)
///     .subnet_groups([
///         SubnetGroup::public("Public", 24),
///         SubnetGroup::private_with_nat("App", 20),
///         SubnetGroup::isolated("Data", 24),
///     ])
///     .nat_gateways(NatGateways::PerZone);
/// # let _ = props;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VpcProps {
    cidr: String,
    zone_count: usize,
    dns_hostnames: bool,
    dns_support: bool,
    subnet_groups: Vec<SubnetGroup>,
    nat_gateways: NatGateways,
    vpc_name: Option<String>,
}

impl Default for VpcProps {
    fn default() -> Self {
        VpcProps::new()
    }
}

impl VpcProps {
    /// The defaults above.
    pub fn new() -> Self {
        VpcProps {
            cidr: "10.0.0.0/16".to_owned(),
            zone_count: 2,
            dns_hostnames: true,
            dns_support: true,
            subnet_groups: vec![
                SubnetGroup::public("Public", 24),
                SubnetGroup::private_with_nat("Private", 24),
            ],
            nat_gateways: NatGateways::One,
            vpc_name: None,
        }
    }

    /// The VPC's IPv4 block: prefix length 16 to 28, written as its network
    /// address (checked, `FW3001`). Subnets are carved from it at synth.
    pub fn cidr(mut self, cidr: impl Into<String>) -> Self {
        self.cidr = cidr.into();
        self
    }

    /// How many availability zones to spread subnets over, 1 to 6 (checked,
    /// `FW3002`). Zones are the region's first ones, chosen at deploy with
    /// `Fn::Select` over `Fn::GetAZs ""`; a region with fewer zones than
    /// asked fails the deploy.
    pub fn zone_count(mut self, zones: usize) -> Self {
        self.zone_count = zones;
        self
    }

    /// `EnableDnsHostnames` (default on).
    pub fn enable_dns_hostnames(mut self, on: bool) -> Self {
        self.dns_hostnames = on;
        self
    }

    /// `EnableDnsSupport` (default on).
    pub fn enable_dns_support(mut self, on: bool) -> Self {
        self.dns_support = on;
        self
    }

    /// The subnet groups, replacing the default ones. Subnets are carved in
    /// this order (each group, zone by zone), each block aligned to its size.
    pub fn subnet_groups(mut self, groups: impl IntoIterator<Item = SubnetGroup>) -> Self {
        self.subnet_groups = groups.into_iter().collect();
        self
    }

    /// How many NAT gateways serve the private subnets (default one).
    pub fn nat_gateways(mut self, nat: NatGateways) -> Self {
        self.nat_gateways = nat;
        self
    }

    /// The VPC's `Name` tag (default: the construct path).
    pub fn vpc_name(mut self, name: impl Into<String>) -> Self {
        self.vpc_name = Some(name.into());
        self
    }
}

/// An existing VPC, by ids, for [`Vpc::from_attributes`].
///
/// Subnet `i` of each list is in zone `i % availability_zones.len()`; a list
/// may hold several groups of one type, one subnet per zone each.
///
/// ```
/// use formwork::ec2::VpcAttributes;
/// let attrs = VpcAttributes {
///     public_subnet_ids: vec!["subnet-0aa".into(), "subnet-0bb".into()],
///     private_subnet_ids: vec!["subnet-0cc".into(), "subnet-0dd".into()],
///     ..VpcAttributes::new("vpc-0123456789abcdef0", ["ap-northeast-1a", "ap-northeast-1c"])
/// };
/// # let _ = attrs;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VpcAttributes {
    /// The VPC id (`vpc-…`).
    pub vpc_id: Str,
    /// Its availability zones, in the order of the subnet lists.
    pub availability_zones: Vec<Str>,
    /// Public subnet ids, zone by zone.
    pub public_subnet_ids: Vec<Str>,
    /// Private (NAT) subnet ids, zone by zone.
    pub private_subnet_ids: Vec<Str>,
    /// Isolated subnet ids, zone by zone.
    pub isolated_subnet_ids: Vec<Str>,
    /// Its IPv4 block, if rules need it ([`Vpc::cidr_block`]).
    pub cidr_block: Option<Str>,
}

impl VpcAttributes {
    /// A VPC with zones and no subnets yet.
    pub fn new<Z: Into<Str>>(
        vpc_id: impl Into<Str>,
        availability_zones: impl IntoIterator<Item = Z>,
    ) -> Self {
        VpcAttributes {
            vpc_id: vpc_id.into(),
            availability_zones: availability_zones.into_iter().map(Into::into).collect(),
            public_subnet_ids: Vec::new(),
            private_subnet_ids: Vec::new(),
            isolated_subnet_ids: Vec::new(),
            cidr_block: None,
        }
    }
}

struct Inner {
    node: Scope,
    cfn: Option<CfnVpcRef>,
    vpc_id: Str,
    cidr_block: Option<Str>,
    zones: Vec<Str>,
    subnets: Vec<Subnet>,
    dns: bool,
    internet_gateway: Option<CfnInternetGatewayRef>,
    gateway_attachment: Option<CfnVpcGatewayAttachmentRef>,
    nat_gateways: Vec<CfnNatGatewayRef>,
}

/// A VPC: subnets in several availability zones, an internet gateway for
/// the public ones, NAT gateways for the private ones, one route table per
/// subnet.
///
/// What it makes (for the default props, at `Vpc`): `Vpc`
/// (`AWS::EC2::VPC`), `VpcInternetGateway` and `VpcGatewayAttachment`; per
/// subnet (`VpcPublicSubnet1`, `VpcPublicSubnet2`, `VpcPrivateSubnet1`, …)
/// `…Subnet`, `…RouteTable`, `…RouteTableAssociation`, and `…DefaultRoute`
/// (public: `0.0.0.0/0` to the internet gateway, depending on the gateway
/// attachment; private: `0.0.0.0/0` to the NAT gateway; isolated: none);
/// `…Eip` and `…NatGateway` in the public subnet(s) that hold NAT gateways.
/// Subnet blocks are computed at synth and written as literals
/// (`10.0.0.0/24`, `10.0.1.0/24`, …). Every resource has a `Name` tag.
///
/// Cost: the VPC, subnets, route tables and gateway endpoints are free; each
/// NAT gateway costs 33 to 45 USD a month before traffic (see
/// [`NatGateways`]), hence one by default.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{SubnetType, Vpc, VpcProps};
/// let app = App::new();
/// let stack = app.stack("Network")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// assert_eq!(vpc.select_subnets(SubnetType::Public).len(), 2);
/// assert_eq!(vpc.subnets()[2].cidr_block(), Some("10.0.2.0/24"));
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone)]
pub struct Vpc {
    inner: Rc<Inner>,
}

impl fmt::Debug for Vpc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vpc")
            .field("path", &self.inner.node.path())
            .field("imported", &self.inner.cfn.is_none())
            .field("subnets", &self.inner.subnets.len())
            .finish()
    }
}

fn literal(s: &Str) -> Option<String> {
    Value::from(s.clone()).as_str().map(str::to_owned)
}

/// One subnet to create: its group, zone and block.
struct Planned {
    group: usize,
    zone: usize,
    cidr: Ipv4Cidr,
}

/// Checks the props and carves the subnet blocks; `None` after reporting
/// errors.
fn plan(node: &Scope, props: &VpcProps) -> Option<Vec<Planned>> {
    let mut ok = true;
    let vpc = match Ipv4Cidr::parse(&props.cidr) {
        Ok(c) if (16..=28).contains(&c.prefix()) => Some(c),
        Ok(c) => {
            node.report(
                Diagnostic::error(
                    codes::VPC_CIDR,
                    node.path(),
                    format!(
                        "the VPC block {c} has prefix length /{}; allowed: /16 to /28",
                        c.prefix()
                    ),
                )
                .property("CidrBlock")
                .fix("use a block such as 10.0.0.0/16"),
            );
            None
        }
        Err(e) => {
            let (msg, fix) = e.explain(&props.cidr, "IPv4");
            let mut d = Diagnostic::error(codes::VPC_CIDR, node.path(), msg).property("CidrBlock");
            if let Some(f) = fix {
                d = d.fix(f);
            }
            node.report(d);
            None
        }
    };
    if !(1..=MAX_ZONES).contains(&props.zone_count) {
        node.error(
            codes::ZONE_COUNT,
            "ZoneCount",
            format!(
                "{} availability zones asked; allowed: 1 to {MAX_ZONES}",
                props.zone_count
            ),
        );
        ok = false;
    }
    let mut names = HashSet::new();
    for (i, g) in props.subnet_groups.iter().enumerate() {
        let id = logical_id_for_path(&g.name);
        if id.is_empty() || g.name.contains('/') {
            node.report(
                Diagnostic::error(
                    codes::SUBNET_GROUP_NAME,
                    node.path(),
                    format!(
                        "the subnet group name `{}` has no ASCII letter or digit, or has `/`",
                        g.name
                    ),
                )
                .property(format!("SubnetGroups[{i}].Name"))
                .fix("name groups with letters and digits, such as Public or App"),
            );
            ok = false;
        } else if !names.insert(id.clone()) {
            node.report(
                Diagnostic::error(
                    codes::SUBNET_GROUP_NAME,
                    node.path(),
                    format!("two subnet groups are named `{id}` (names compare by their letters and digits)"),
                )
                .property(format!("SubnetGroups[{i}].Name"))
                .fix("give each subnet group its own name"),
            );
            ok = false;
        }
        let min = vpc.map_or(16, |v| v.prefix().max(16));
        if !(min..=28).contains(&g.cidr_mask) {
            node.error(
                codes::SUBNET_MASK,
                &format!("SubnetGroups[{i}].CidrMask"),
                format!(
                    "subnet group `{}` has prefix length /{}; allowed: /{min} to /28 (no larger than the VPC block)",
                    g.name, g.cidr_mask
                ),
            );
            ok = false;
        }
    }
    let has_public = props
        .subnet_groups
        .iter()
        .any(|g| g.subnet_type == SubnetType::Public);
    if let Some((i, g)) = props
        .subnet_groups
        .iter()
        .enumerate()
        .find(|(_, g)| g.subnet_type == SubnetType::Private)
    {
        if !has_public {
            node.report(
                Diagnostic::error(
                    codes::NAT_WITHOUT_PUBLIC_SUBNETS,
                    node.path(),
                    format!(
                        "subnet group `{}` routes through NAT gateways, but the VPC has no public subnet group to hold them",
                        g.name
                    ),
                )
                .property(format!("SubnetGroups[{i}]"))
                .fix("add SubnetGroup::public(..), or make the group SubnetGroup::isolated(..)"),
            );
            ok = false;
        }
    }
    let vpc = vpc?;
    if !ok {
        return None;
    }
    let zones = props.zone_count;
    let prefixes: Vec<u8> = props
        .subnet_groups
        .iter()
        .flat_map(|g| std::iter::repeat_n(g.cidr_mask, zones))
        .collect();
    match carve(vpc, &prefixes) {
        Ok(blocks) => Some(
            blocks
                .into_iter()
                .enumerate()
                .map(|(i, cidr)| Planned {
                    group: i / zones,
                    zone: i % zones,
                    cidr,
                })
                .collect(),
        ),
        Err(e) => {
            let g = &props.subnet_groups[e.index / zones];
            let asked: Vec<String> = props
                .subnet_groups
                .iter()
                .map(|g| format!("{} /{} x {zones}", g.name, g.cidr_mask))
                .collect();
            node.report(
                Diagnostic::error(
                    codes::SUBNETS_DO_NOT_FIT,
                    node.path(),
                    format!(
                        "the subnets ({}) need {} addresses but {vpc} has {}; subnet group `{}` does not fit",
                        asked.join(", "),
                        e.needed,
                        vpc.size(),
                        g.name
                    ),
                )
                .property("SubnetGroups")
                .fix("use a larger VPC block, fewer zones, or longer subnet prefixes"),
            );
            None
        }
    }
}

impl Vpc {
    /// Adds a VPC at `scope/id` with its subnets, gateways and routes.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{SubnetGroup, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Network")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new().subnet_groups([SubnetGroup::isolated("Data", 24)]))?;
    /// assert!(vpc.internet_gateway().is_none());
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: VpcProps) -> Result<Vpc> {
        let node = scope.child(id)?;
        let plan = plan(&node, &props);
        let name = props.vpc_name.clone().unwrap_or_else(|| node.path());
        let cfn = node.add_here(
            CfnVpc::new()
                .cidr_block(props.cidr.as_str())
                .enable_dns_hostnames(props.dns_hostnames)
                .enable_dns_support(props.dns_support)
                .tags([vpc::Tag::new().key("Name").value(name.as_str())]),
        )?;
        let vpc_id: Str = cfn.ref_().into();
        let zones: Vec<Str> = (0..props.zone_count.min(MAX_ZONES))
            .map(|i| Fn::select(i, Fn::get_azs("")).into())
            .collect();
        let mut inner = Inner {
            node: node.clone(),
            cidr_block: Some(props.cidr.as_str().into()),
            vpc_id,
            zones,
            subnets: Vec::new(),
            dns: props.dns_hostnames && props.dns_support,
            internet_gateway: None,
            gateway_attachment: None,
            nat_gateways: Vec::new(),
            cfn: Some(cfn),
        };
        if let Some(plan) = plan {
            build_subnets(&mut inner, &props, &plan, &name)?;
        }
        Ok(Vpc {
            inner: Rc::new(inner),
        })
    }

    /// Uses an existing VPC by its ids: nothing is created; selections,
    /// security groups and endpoints work as for a VPC made here (gateway
    /// endpoints need route tables, which imported subnets do not carry).
    ///
    /// Checked: ids look like `vpc-…`/`subnet-…` (`FW3007`); there is at
    /// least one zone and each subnet list has a multiple of the zone count
    /// (`FW3008`).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{SubnetType, Vpc, VpcAttributes};
    /// let app = App::new();
    /// let stack = app.stack("Service")?;
    /// let vpc = Vpc::from_attributes(&stack, "Shared", VpcAttributes {
    ///     private_subnet_ids: vec!["subnet-0aa".into(), "subnet-0bb".into()],
    ///     ..VpcAttributes::new("vpc-0123456789abcdef0", ["ap-northeast-1a", "ap-northeast-1c"])
    /// })?;
    /// assert_eq!(vpc.select_subnets(SubnetType::Private).len(), 2);
    /// assert_eq!(stack.resource_count(), 0);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_attributes(scope: &Scope, id: &str, attributes: VpcAttributes) -> Result<Vpc> {
        let node = scope.child(id)?;
        let bad_id = |property: &str, text: &str, kind: &str, example: &str| {
            node.report(
                Diagnostic::error(
                    codes::IMPORTED_ID,
                    node.path(),
                    format!("`{text}` is not a {kind} id"),
                )
                .property(property)
                .fix(format!("a {kind} id looks like {example}")),
            );
        };
        if let Some(text) = literal(&attributes.vpc_id) {
            if !text.starts_with("vpc-") || text.len() < 5 {
                bad_id("VpcId", &text, "VPC", "vpc-0123456789abcdef0");
            }
        }
        let zone_count = attributes.availability_zones.len();
        if zone_count == 0 {
            node.error(
                codes::IMPORTED_SUBNETS,
                "AvailabilityZones",
                "no availability zone given; allowed: the VPC's zones, in the order of the subnet lists",
            );
        }
        let lists = [
            (
                SubnetType::Public,
                "PublicSubnetIds",
                &attributes.public_subnet_ids,
            ),
            (
                SubnetType::Private,
                "PrivateSubnetIds",
                &attributes.private_subnet_ids,
            ),
            (
                SubnetType::Isolated,
                "IsolatedSubnetIds",
                &attributes.isolated_subnet_ids,
            ),
        ];
        let mut subnets = Vec::new();
        for (ty, property, ids) in lists {
            if zone_count > 0 && ids.len() % zone_count != 0 {
                node.error(
                    codes::IMPORTED_SUBNETS,
                    property,
                    format!(
                        "{} subnet ids for {zone_count} zones; allowed: a multiple of the zone count (one subnet per zone and group)",
                        ids.len()
                    ),
                );
            }
            for (i, sid) in ids.iter().enumerate() {
                if let Some(text) = literal(sid) {
                    if !text.starts_with("subnet-") || text.len() < 8 {
                        bad_id(
                            &format!("{property}[{i}]"),
                            &text,
                            "subnet",
                            "subnet-0123456789abcdef0",
                        );
                    }
                }
                let zone_index = if zone_count == 0 { 0 } else { i % zone_count };
                subnets.push(Subnet {
                    subnet_type: ty,
                    group: ty.name().to_owned(),
                    zone_index,
                    subnet_id: sid.clone(),
                    availability_zone: attributes
                        .availability_zones
                        .get(zone_index)
                        .cloned()
                        .unwrap_or_else(|| Str::from("")),
                    cidr_block: None,
                    cfn: None,
                    route_table: None,
                    default_route: None,
                });
            }
        }
        Ok(Vpc {
            inner: Rc::new(Inner {
                node,
                cfn: None,
                vpc_id: attributes.vpc_id,
                cidr_block: attributes.cidr_block,
                zones: attributes.availability_zones,
                subnets,
                dns: true,
                internet_gateway: None,
                gateway_attachment: None,
                nat_gateways: Vec::new(),
            }),
        })
    }

    /// The L1 VPC (`None` when imported).
    pub fn cfn(&self) -> Option<&CfnVpcRef> {
        self.inner.cfn.as_ref()
    }

    /// The construct's scope (endpoints are added below it).
    pub fn scope(&self) -> &Scope {
        &self.inner.node
    }

    /// The VPC id (`Ref` of the VPC, or the id it was imported with).
    pub fn vpc_id(&self) -> Str {
        self.inner.vpc_id.clone()
    }

    /// The VPC's IPv4 block as a literal (known at synth; `None` for an
    /// imported VPC whose attributes do not give it), for rules such as
    /// `Peer::ipv4(cidr)`.
    pub fn cidr_block(&self) -> Option<Str> {
        self.inner.cidr_block.clone()
    }

    /// The availability zones, in order.
    pub fn availability_zones(&self) -> Vec<Str> {
        self.inner.zones.clone()
    }

    /// Every subnet, in group order then zone order.
    pub fn subnets(&self) -> &[Subnet] {
        &self.inner.subnets
    }

    /// The subnets of a type, of a group by name, or all of them. A
    /// selection that matches nothing is empty: the construct that needs
    /// subnets reports it ([`SelectedSubnets::check_not_empty`]).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{SubnetSelection, SubnetType, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// assert_eq!(vpc.select_subnets(SubnetType::Public).len(), 2);
    /// assert_eq!(vpc.select_subnets(SubnetSelection::group("Private")).len(), 2);
    /// assert_eq!(vpc.select_subnets(SubnetSelection::All).len(), 4);
    /// assert!(vpc.select_subnets(SubnetType::Isolated).is_empty());
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn select_subnets(&self, selection: impl Into<SubnetSelection>) -> SelectedSubnets {
        self.select(&selection.into())
    }

    fn select(&self, selection: &SubnetSelection) -> SelectedSubnets {
        let subnets = self
            .inner
            .subnets
            .iter()
            .filter(|s| match selection {
                SubnetSelection::All => true,
                SubnetSelection::Type(t) => s.subnet_type == *t,
                SubnetSelection::Group(g) => s.group == *g,
            })
            .cloned()
            .collect();
        SelectedSubnets { subnets }
    }

    /// The internet gateway (`None` without public subnets, or when imported).
    pub fn internet_gateway(&self) -> Option<&CfnInternetGatewayRef> {
        self.inner.internet_gateway.as_ref()
    }

    /// The attachment of the internet gateway to the VPC.
    pub fn gateway_attachment(&self) -> Option<&CfnVpcGatewayAttachmentRef> {
        self.inner.gateway_attachment.as_ref()
    }

    /// The NAT gateways, zone by zone.
    pub fn nat_gateways(&self) -> &[CfnNatGatewayRef] {
        &self.inner.nat_gateways
    }

    /// True when the VPC resolves private DNS names (DNS support and
    /// hostnames on; assumed for imported VPCs).
    pub(crate) fn dns_enabled(&self) -> bool {
        self.inner.dns
    }
}

/// Creates the internet gateway, subnets, route tables, NAT gateways and
/// routes of a planned VPC.
#[track_caller]
fn build_subnets(inner: &mut Inner, props: &VpcProps, plan: &[Planned], name: &str) -> Result<()> {
    let node = inner.node.clone();
    let vpc_id = inner.vpc_id.clone();
    let has_public = props
        .subnet_groups
        .iter()
        .any(|g| g.subnet_type == SubnetType::Public);
    let internet = if has_public {
        let igw = node.add(
            "InternetGateway",
            CfnInternetGateway::new().tags([internet_gateway::Tag::new().key("Name").value(name)]),
        )?;
        let attachment = node.add(
            "GatewayAttachment",
            CfnVpcGatewayAttachment::new()
                .vpc_id(vpc_id.clone())
                .internet_gateway_id(igw.ref_()),
        )?;
        inner.internet_gateway = Some(igw.clone());
        inner.gateway_attachment = Some(attachment.clone());
        Some((igw, attachment))
    } else {
        None
    };

    let mut scopes = Vec::with_capacity(plan.len());
    for p in plan {
        let group = &props.subnet_groups[p.group];
        let snode = node.child(&format!("{}Subnet{}", group.name, p.zone + 1))?;
        let path = snode.path();
        let public = group.subnet_type == SubnetType::Public;
        let zone = inner
            .zones
            .get(p.zone)
            .cloned()
            .unwrap_or_else(|| Str::from(""));
        let cfn = snode.add(
            "Subnet",
            CfnSubnet::new()
                .vpc_id(vpc_id.clone())
                .cidr_block(p.cidr.to_string())
                .availability_zone(zone.clone())
                .map_public_ip_on_launch(public)
                .tags([
                    subnet::Tag::new().key("Name").value(path.as_str()),
                    subnet::Tag::new()
                        .key("formwork:subnet-group")
                        .value(group.name.as_str()),
                    subnet::Tag::new()
                        .key("formwork:subnet-type")
                        .value(group.subnet_type.name()),
                ]),
        )?;
        let rt = snode.add(
            "RouteTable",
            CfnRouteTable::new()
                .vpc_id(vpc_id.clone())
                .tags([route_table::Tag::new().key("Name").value(path.as_str())]),
        )?;
        snode.add(
            "RouteTableAssociation",
            CfnSubnetRouteTableAssociation::new()
                .route_table_id(rt.ref_())
                .subnet_id(cfn.ref_()),
        )?;
        let default_route = match (&internet, public) {
            (Some((igw, attachment)), true) => {
                let route = snode.add(
                    "DefaultRoute",
                    CfnRoute::new()
                        .route_table_id(rt.ref_())
                        .destination_cidr_block("0.0.0.0/0")
                        .gateway_id(igw.ref_()),
                )?;
                route.add_depends_on(attachment);
                Some(route)
            }
            _ => None,
        };
        inner.subnets.push(Subnet {
            subnet_type: group.subnet_type,
            group: group.name.clone(),
            zone_index: p.zone,
            subnet_id: cfn.ref_().into(),
            availability_zone: zone,
            cidr_block: Some(p.cidr.to_string()),
            cfn: Some(cfn),
            route_table: Some(rt),
            default_route,
        });
        scopes.push(snode);
    }

    let needs_nat = props
        .subnet_groups
        .iter()
        .any(|g| g.subnet_type == SubnetType::Private);
    let (Some((_, attachment)), true) = (&internet, needs_nat) else {
        return Ok(());
    };
    // NAT gateways go into the first public group's subnets.
    let nat_zones = match props.nat_gateways {
        NatGateways::One => 1,
        NatGateways::PerZone => props.zone_count,
    };
    let Some(first_public) = props
        .subnet_groups
        .iter()
        .position(|g| g.subnet_type == SubnetType::Public)
    else {
        return Ok(());
    };
    for zone in 0..nat_zones {
        let Some(i) = plan
            .iter()
            .position(|p| p.group == first_public && p.zone == zone)
        else {
            continue;
        };
        let (snode, host) = (&scopes[i], &inner.subnets[i]);
        let path = snode.path();
        let eip = snode.add(
            "Eip",
            CfnEip::new()
                .domain("vpc")
                .tags([eip::Tag::new().key("Name").value(path.as_str())]),
        )?;
        eip.add_depends_on(attachment);
        let nat = snode.add(
            "NatGateway",
            CfnNatGateway::new()
                .subnet_id(host.subnet_id())
                .allocation_id(eip.allocation_id())
                .tags([nat_gateway::Tag::new().key("Name").value(path.as_str())]),
        )?;
        if let Some(r) = &host.default_route {
            nat.add_depends_on(r);
        }
        inner.nat_gateways.push(nat);
    }
    for (i, p) in plan.iter().enumerate() {
        if props.subnet_groups[p.group].subnet_type != SubnetType::Private {
            continue;
        }
        let nat = match props.nat_gateways {
            NatGateways::One => inner.nat_gateways.first(),
            NatGateways::PerZone => inner.nat_gateways.get(p.zone),
        };
        let (Some(nat), Some(rt)) = (nat, inner.subnets[i].route_table.as_ref()) else {
            continue;
        };
        let route = scopes[i].add(
            "DefaultRoute",
            CfnRoute::new()
                .route_table_id(rt.ref_())
                .destination_cidr_block("0.0.0.0/0")
                .nat_gateway_id(nat.ref_()),
        )?;
        inner.subnets[i].default_route = Some(route);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::testutil::{failed, of_type, one};
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    fn cidrs(vpc: &Vpc) -> Vec<&str> {
        vpc.subnets()
            .iter()
            .filter_map(Subnet::cidr_block)
            .collect()
    }

    #[test]
    fn default_vpc_is_two_zones_public_and_private_with_one_nat() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        assert_eq!(
            cidrs(&vpc),
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
        );
        let asm = synth_and_lint(&app, "ec2-default-vpc");
        let t = template(&asm, "Net");
        let count = |ty| of_type(&t, ty).len();
        assert_eq!(count("AWS::EC2::VPC"), 1);
        assert_eq!(count("AWS::EC2::InternetGateway"), 1);
        assert_eq!(count("AWS::EC2::VPCGatewayAttachment"), 1);
        assert_eq!(count("AWS::EC2::Subnet"), 4);
        assert_eq!(count("AWS::EC2::RouteTable"), 4);
        assert_eq!(count("AWS::EC2::SubnetRouteTableAssociation"), 4);
        assert_eq!(count("AWS::EC2::Route"), 4);
        assert_eq!(count("AWS::EC2::EIP"), 1);
        assert_eq!(count("AWS::EC2::NatGateway"), 1);
        assert_eq!(t["Resources"].as_object().unwrap().len(), 21);
        assert_eq!(
            t["Resources"]["Vpc"]["Properties"],
            json!({
                "CidrBlock": "10.0.0.0/16",
                "EnableDnsHostnames": true,
                "EnableDnsSupport": true,
                "Tags": [{"Key": "Name", "Value": "Net/Vpc"}]
            })
        );
        assert_eq!(
            t["Resources"]["VpcPublicSubnet2Subnet"]["Properties"],
            json!({
                "AvailabilityZone": {"Fn::Select": [1, {"Fn::GetAZs": ""}]},
                "CidrBlock": "10.0.1.0/24",
                "MapPublicIpOnLaunch": true,
                "Tags": [
                    {"Key": "Name", "Value": "Net/Vpc/PublicSubnet2"},
                    {"Key": "formwork:subnet-group", "Value": "Public"},
                    {"Key": "formwork:subnet-type", "Value": "Public"}
                ],
                "VpcId": {"Ref": "Vpc"}
            })
        );
        let private = &t["Resources"]["VpcPrivateSubnet1Subnet"]["Properties"];
        assert_eq!(private["MapPublicIpOnLaunch"], false);
        assert_eq!(
            private["AvailabilityZone"],
            json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
        );
        assert_eq!(private["CidrBlock"], "10.0.2.0/24");
        for (id, r) in of_type(&t, "AWS::EC2::RouteTable") {
            assert!(
                r["Properties"]["Tags"][0]["Key"] == "Name",
                "{id} has a Name tag"
            );
        }
        assert_eq!(
            t["Resources"]["VpcInternetGateway"]["Properties"]["Tags"][0]["Value"],
            "Net/Vpc"
        );
        assert_eq!(vpc.vpc_id(), Str::from(vpc.cfn().unwrap().ref_()));
        assert_eq!(vpc.cidr_block(), Some(Str::from("10.0.0.0/16")));
        assert_eq!(vpc.availability_zones().len(), 2);
    }

    #[test]
    fn route_wiring_public_to_gateway_after_attachment_private_to_nat() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let t = template(&app.synth().unwrap(), "Net");
        let r = &t["Resources"];
        for n in [1, 2] {
            let route = &r[format!("VpcPublicSubnet{n}DefaultRoute")];
            assert_eq!(route["DependsOn"], json!(["VpcGatewayAttachment"]));
            assert_eq!(
                route["Properties"],
                json!({
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": {"Ref": "VpcInternetGateway"},
                    "RouteTableId": {"Ref": format!("VpcPublicSubnet{n}RouteTable")}
                })
            );
            let private = &r[format!("VpcPrivateSubnet{n}DefaultRoute")];
            assert_eq!(
                private["Properties"],
                json!({
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": {"Ref": "VpcPublicSubnet1NatGateway"},
                    "RouteTableId": {"Ref": format!("VpcPrivateSubnet{n}RouteTable")}
                })
            );
            assert_eq!(
                r[format!("VpcPrivateSubnet{n}RouteTableAssociation")]["Properties"],
                json!({
                    "RouteTableId": {"Ref": format!("VpcPrivateSubnet{n}RouteTable")},
                    "SubnetId": {"Ref": format!("VpcPrivateSubnet{n}Subnet")}
                })
            );
        }
        assert_eq!(
            r["VpcGatewayAttachment"]["Properties"],
            json!({"InternetGatewayId": {"Ref": "VpcInternetGateway"}, "VpcId": {"Ref": "Vpc"}})
        );
        let nat = &r["VpcPublicSubnet1NatGateway"];
        assert_eq!(
            nat["Properties"]["SubnetId"],
            json!({"Ref": "VpcPublicSubnet1Subnet"})
        );
        assert_eq!(
            nat["Properties"]["AllocationId"],
            json!({"Fn::GetAtt": ["VpcPublicSubnet1Eip", "AllocationId"]})
        );
        assert_eq!(nat["DependsOn"], json!(["VpcPublicSubnet1DefaultRoute"]));
        assert_eq!(
            r["VpcPublicSubnet1Eip"]["DependsOn"],
            json!(["VpcGatewayAttachment"])
        );
        assert_eq!(r["VpcPublicSubnet1Eip"]["Properties"]["Domain"], "vpc");
    }

    #[test]
    fn isolated_subnets_and_a_nat_gateway_per_zone() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(
            &s,
            "Vpc",
            VpcProps::new()
                .cidr("10.20.0.0/16")
                .zone_count(3)
                .subnet_groups([
                    SubnetGroup::public("Public", 24),
                    SubnetGroup::private_with_nat("App", 20),
                    SubnetGroup::isolated("Data", 24),
                ])
                .nat_gateways(NatGateways::PerZone),
        )
        .unwrap();
        assert_eq!(
            cidrs(&vpc),
            [
                "10.20.0.0/24",
                "10.20.1.0/24",
                "10.20.2.0/24",
                "10.20.16.0/20",
                "10.20.32.0/20",
                "10.20.48.0/20",
                "10.20.64.0/24",
                "10.20.65.0/24",
                "10.20.66.0/24"
            ]
        );
        assert_eq!(vpc.nat_gateways().len(), 3);
        let asm = synth_and_lint(&app, "ec2-isolated-per-zone-nat");
        let t = template(&asm, "Net");
        let r = &t["Resources"];
        assert_eq!(of_type(&t, "AWS::EC2::NatGateway").len(), 3);
        assert_eq!(of_type(&t, "AWS::EC2::EIP").len(), 3);
        assert_eq!(
            of_type(&t, "AWS::EC2::Route").len(),
            6,
            "3 public + 3 private, none isolated"
        );
        for n in 1..=3 {
            assert_eq!(
                r[format!("VpcAppSubnet{n}DefaultRoute")]["Properties"]["NatGatewayId"],
                json!({"Ref": format!("VpcPublicSubnet{n}NatGateway")}),
                "private subnet {n} uses its own zone's NAT gateway"
            );
            assert_eq!(
                r[format!("VpcPublicSubnet{n}NatGateway")]["Properties"]["SubnetId"],
                json!({"Ref": format!("VpcPublicSubnet{n}Subnet")})
            );
            assert!(r[format!("VpcDataSubnet{n}DefaultRoute")].is_null());
            assert!(r[format!("VpcDataSubnet{n}RouteTable")].is_object());
            assert!(r[format!("VpcDataSubnet{n}RouteTableAssociation")].is_object());
            assert_eq!(
                r[format!("VpcDataSubnet{n}Subnet")]["Properties"]["MapPublicIpOnLaunch"],
                false
            );
        }
        assert_eq!(
            r["VpcDataSubnet3Subnet"]["Properties"]["AvailabilityZone"],
            json!({"Fn::Select": [2, {"Fn::GetAZs": ""}]})
        );
        let isolated = vpc.select_subnets(SubnetType::Isolated);
        assert!(isolated.internet_dependencies().is_empty());
        assert!(
            isolated
                .subnets()
                .iter()
                .all(|s| s.default_route().is_none())
        );
    }

    #[test]
    fn only_isolated_subnets_make_no_gateways() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(
            &s,
            "Vpc",
            VpcProps::new().subnet_groups([SubnetGroup::isolated("Data", 24)]),
        )
        .unwrap();
        assert!(vpc.internet_gateway().is_none());
        assert!(vpc.gateway_attachment().is_none());
        assert!(vpc.nat_gateways().is_empty());
        let asm = synth_and_lint(&app, "ec2-isolated-only");
        let t = template(&asm, "Net");
        assert!(of_type(&t, "AWS::EC2::InternetGateway").is_empty());
        assert!(of_type(&t, "AWS::EC2::Route").is_empty());
        assert_eq!(of_type(&t, "AWS::EC2::Subnet").len(), 2);
    }

    #[test]
    fn public_only_vpc_has_no_nat() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(
            &s,
            "Vpc",
            VpcProps::new().subnet_groups([SubnetGroup::public("Web", 26)]),
        )
        .unwrap();
        assert!(vpc.nat_gateways().is_empty());
        assert!(vpc.internet_gateway().is_some());
        let t = template(&app.synth().unwrap(), "Net");
        assert!(of_type(&t, "AWS::EC2::NatGateway").is_empty());
        assert_eq!(
            t["Resources"]["VpcWebSubnet2Subnet"]["Properties"]["CidrBlock"],
            "10.0.0.64/26"
        );
    }

    /// Property: over generated VPC blocks, zone counts and subnet groups,
    /// a VPC either gets subnets that lie inside its block and never
    /// overlap, or fails with FW3004 when they cannot fit.
    #[test]
    fn subnet_blocks_never_overlap_and_stay_inside_the_vpc() {
        let bases = [
            "10.0.0.0",
            "172.16.0.0",
            "192.168.0.0",
            "10.128.0.0",
            "100.64.0.0",
        ];
        let mut n = 0u32;
        let (mut ok, mut too_big) = (0, 0);
        for (bi, base) in bases.iter().enumerate() {
            for prefix in [16u8, 18, 20, 22, 24, 26] {
                for zones in 1..=MAX_ZONES {
                    n += 1;
                    // Masks cycle through a few shapes, some too big to fit;
                    // sorted from the largest subnets to the smallest, where
                    // aligned carving wastes nothing, so that the subnets
                    // must fit exactly when their total does.
                    let m = |k: u32| -> u8 {
                        (prefix + 1 + ((n * 7 + k + bi as u32) % 8) as u8).min(28)
                    };
                    let mut masks = [m(0), m(3), m(5)];
                    masks.sort_unstable();
                    let groups = [
                        SubnetGroup::public("Public", masks[0]),
                        SubnetGroup::private_with_nat("App", masks[1]),
                        SubnetGroup::isolated("Data", masks[2]),
                    ];
                    let app = App::new();
                    let s = app.stack("Net").unwrap();
                    let cidr = format!("{base}/{prefix}");
                    let props = VpcProps::new()
                        .cidr(cidr.as_str())
                        .zone_count(zones)
                        .subnet_groups(groups.clone());
                    let vpc = Vpc::new(&s, "Vpc", props).unwrap();
                    let block = Ipv4Cidr::parse(&cidr).unwrap();
                    let total: u64 = groups
                        .iter()
                        .map(|g| (1u64 << (32 - g.cidr_mask())) * zones as u64)
                        .sum();
                    if vpc.subnets().is_empty() {
                        too_big += 1;
                        let d = failed(&app);
                        let e = one(&d, codes::SUBNETS_DO_NOT_FIT);
                        assert_eq!(e.property.as_deref(), Some("SubnetGroups"));
                        assert!(
                            total > block.size(),
                            "{cidr}: {total} addresses fit but: {e}"
                        );
                        continue;
                    }
                    ok += 1;
                    assert!(total <= block.size());
                    let blocks: Vec<Ipv4Cidr> = cidrs(&vpc)
                        .iter()
                        .map(|c| Ipv4Cidr::parse(c).unwrap())
                        .collect();
                    assert_eq!(blocks.len(), 3 * zones);
                    for (i, b) in blocks.iter().enumerate() {
                        assert!(block.contains(*b), "{b} outside {cidr}");
                        for o in &blocks[i + 1..] {
                            assert!(!b.overlaps(*o), "{b} overlaps {o} in {cidr}");
                        }
                    }
                    for (i, sn) in vpc.subnets().iter().enumerate() {
                        assert_eq!(sn.zone_index(), i % zones);
                        assert_eq!(sn.subnet_type(), groups[i / zones].subnet_type());
                    }
                    assert!(app.synth().is_ok(), "{cidr} with {zones} zones");
                }
            }
        }
        assert!(ok > 20 && too_big > 20, "{ok} fit, {too_big} did not");
    }

    #[test]
    fn vpc_cidr_is_checked() {
        let cases = [
            ("10.0.0.0", "`10.0.0.0` is not an IPv4 CIDR block"),
            (
                "10.0.0.1/16",
                "`10.0.0.1/16` has bits set after its prefix length",
            ),
            (
                "10.0.0.0/8",
                "the VPC block 10.0.0.0/8 has prefix length /8; allowed: /16 to /28",
            ),
            (
                "10.0.0.0/29",
                "the VPC block 10.0.0.0/29 has prefix length /29; allowed: /16 to /28",
            ),
            (
                "10.0.0.0/40",
                "`10.0.0.0/40` has a prefix length out of range",
            ),
        ];
        for (cidr, msg) in cases {
            let app = App::new();
            let s = app.stack("Net").unwrap();
            let vpc = Vpc::new(&s, "Vpc", VpcProps::new().cidr(cidr)).unwrap();
            assert!(vpc.subnets().is_empty());
            let d = failed(&app);
            let e = one(&d, codes::VPC_CIDR);
            assert_eq!(
                (e.path.as_str(), e.property.as_deref()),
                ("Net/Vpc", Some("CidrBlock"))
            );
            assert_eq!(e.message, msg, "{cidr}");
            assert!(e.fix.is_some());
        }
    }

    #[test]
    fn zone_count_is_checked() {
        for zones in [0, 7] {
            let app = App::new();
            let s = app.stack("Net").unwrap();
            Vpc::new(&s, "Vpc", VpcProps::new().zone_count(zones)).unwrap();
            let d = failed(&app);
            let e = one(&d, codes::ZONE_COUNT);
            assert_eq!(
                (e.path.as_str(), e.property.as_deref()),
                ("Net/Vpc", Some("ZoneCount"))
            );
            assert_eq!(
                e.message,
                format!("{zones} availability zones asked; allowed: 1 to 6")
            );
        }
    }

    #[test]
    fn subnet_masks_are_checked() {
        let cases = [
            (
                "10.0.0.0/16",
                29u8,
                "subnet group `Public` has prefix length /29; allowed: /16 to /28 (no larger than the VPC block)",
            ),
            (
                "10.0.0.0/16",
                15,
                "subnet group `Public` has prefix length /15; allowed: /16 to /28 (no larger than the VPC block)",
            ),
            (
                "10.0.0.0/20",
                19,
                "subnet group `Public` has prefix length /19; allowed: /20 to /28 (no larger than the VPC block)",
            ),
        ];
        for (cidr, mask, msg) in cases {
            let app = App::new();
            let s = app.stack("Net").unwrap();
            Vpc::new(
                &s,
                "Vpc",
                VpcProps::new()
                    .cidr(cidr)
                    .subnet_groups([SubnetGroup::public("Public", mask)]),
            )
            .unwrap();
            let d = failed(&app);
            let e = one(&d, codes::SUBNET_MASK);
            assert_eq!(e.path, "Net/Vpc");
            assert_eq!(e.property.as_deref(), Some("SubnetGroups[0].CidrMask"));
            assert_eq!(e.message, msg);
        }
    }

    #[test]
    fn subnets_that_do_not_fit_are_an_error_naming_the_group() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(
            &s,
            "Vpc",
            VpcProps::new()
                .cidr("10.0.0.0/24")
                .zone_count(3)
                .subnet_groups([
                    SubnetGroup::public("Public", 26),
                    SubnetGroup::isolated("Data", 26),
                ]),
        )
        .unwrap();
        assert!(vpc.subnets().is_empty());
        let d = failed(&app);
        let e = one(&d, codes::SUBNETS_DO_NOT_FIT);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Net/Vpc", Some("SubnetGroups"))
        );
        assert_eq!(
            e.message,
            "the subnets (Public /26 x 3, Data /26 x 3) need 384 addresses but 10.0.0.0/24 has 256; subnet group `Data` does not fit"
        );
        assert_eq!(
            e.fix.as_deref(),
            Some("use a larger VPC block, fewer zones, or longer subnet prefixes")
        );
    }

    #[test]
    fn subnet_group_names_are_checked() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        Vpc::new(
            &s,
            "Vpc",
            VpcProps::new().subnet_groups([
                SubnetGroup::public("Public", 24),
                SubnetGroup::isolated("Pub-lic", 24),
                SubnetGroup::isolated("--", 24),
                SubnetGroup::isolated("a/b", 24),
            ]),
        )
        .unwrap();
        let d = failed(&app);
        let found: Vec<_> = d.with_code(codes::SUBNET_GROUP_NAME).collect();
        assert_eq!(found.len(), 3, "{d}");
        assert_eq!(found[0].path, "Net/Vpc");
        assert_eq!(found[0].property.as_deref(), Some("SubnetGroups[1].Name"));
        assert_eq!(
            found[0].message,
            "two subnet groups are named `Public` (names compare by their letters and digits)"
        );
        assert_eq!(found[1].property.as_deref(), Some("SubnetGroups[2].Name"));
        assert_eq!(
            found[1].message,
            "the subnet group name `--` has no ASCII letter or digit, or has `/`"
        );
        assert_eq!(found[2].property.as_deref(), Some("SubnetGroups[3].Name"));
    }

    #[test]
    fn private_subnets_need_a_public_group_for_nat() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        Vpc::new(
            &s,
            "Vpc",
            VpcProps::new().subnet_groups([SubnetGroup::private_with_nat("App", 24)]),
        )
        .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::NAT_WITHOUT_PUBLIC_SUBNETS);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Net/Vpc", Some("SubnetGroups[0]"))
        );
        assert_eq!(
            e.message,
            "subnet group `App` routes through NAT gateways, but the VPC has no public subnet group to hold them"
        );
    }

    fn imported(attrs: VpcAttributes) -> (App, Vpc) {
        let app = App::new();
        let s = app.stack("Svc").unwrap();
        let vpc = Vpc::from_attributes(&s, "Shared", attrs).unwrap();
        (app, vpc)
    }

    #[test]
    fn imported_vpc_creates_nothing_and_selects_by_type() {
        let (app, vpc) = imported(VpcAttributes {
            public_subnet_ids: vec!["subnet-0a".into(), "subnet-0b".into()],
            private_subnet_ids: vec![
                "subnet-1a".into(),
                "subnet-1b".into(),
                "subnet-2a".into(),
                "subnet-2b".into(),
            ],
            cidr_block: Some("10.1.0.0/16".into()),
            ..VpcAttributes::new("vpc-0abc", ["ap-northeast-1a", "ap-northeast-1c"])
        });
        assert!(vpc.cfn().is_none());
        assert_eq!(vpc.vpc_id(), Str::from("vpc-0abc"));
        assert_eq!(vpc.cidr_block(), Some(Str::from("10.1.0.0/16")));
        let private = vpc.select_subnets(SubnetType::Private);
        assert_eq!(
            private.ids(),
            vec![
                Str::from("subnet-1a"),
                "subnet-1b".into(),
                "subnet-2a".into(),
                "subnet-2b".into()
            ]
        );
        assert_eq!(
            private.availability_zones(),
            vec![
                Str::from("ap-northeast-1a"),
                "ap-northeast-1c".into(),
                "ap-northeast-1a".into(),
                "ap-northeast-1c".into()
            ]
        );
        assert_eq!(private.clone().one_per_zone().len(), 2);
        assert!(private.route_table_ids().is_empty());
        assert!(private.internet_dependencies().is_empty());
        assert_eq!(
            vpc.select_subnets(SubnetSelection::group("Public")).len(),
            2
        );
        assert!(vpc.select_subnets(SubnetType::Isolated).is_empty());
        assert_eq!(app.stacks()[0].resource_count(), 0);
        formwork_test_support::filler(&app.stacks()[0]);
        app.synth().unwrap();
    }

    #[test]
    fn imported_ids_are_checked() {
        let (app, _) = imported(VpcAttributes {
            public_subnet_ids: vec!["subnet-0a".into(), "sn-0b".into()],
            ..VpcAttributes::new("vpc0abc", ["ap-northeast-1a", "ap-northeast-1c"])
        });
        let d = failed(&app);
        let found: Vec<_> = d.with_code(codes::IMPORTED_ID).collect();
        assert_eq!(found.len(), 2, "{d}");
        assert_eq!(found[0].path, "Svc/Shared");
        assert_eq!(found[0].property.as_deref(), Some("VpcId"));
        assert_eq!(found[0].message, "`vpc0abc` is not a VPC id");
        assert_eq!(found[1].property.as_deref(), Some("PublicSubnetIds[1]"));
        assert_eq!(found[1].message, "`sn-0b` is not a subnet id");
        // References are not checked.
        let (app, _) = imported(VpcAttributes::new(
            Fn::import_value("shared-vpc-id"),
            ["ap-northeast-1a"],
        ));
        formwork_test_support::filler(&app.stacks()[0]);
        assert!(app.synth().is_ok());
    }

    #[test]
    fn imported_subnet_lists_must_match_the_zones() {
        let (app, _) = imported(VpcAttributes {
            private_subnet_ids: vec!["subnet-1a".into(), "subnet-1b".into(), "subnet-1c".into()],
            ..VpcAttributes::new("vpc-0abc", ["ap-northeast-1a", "ap-northeast-1c"])
        });
        let d = failed(&app);
        let e = one(&d, codes::IMPORTED_SUBNETS);
        assert_eq!(e.path, "Svc/Shared");
        assert_eq!(e.property.as_deref(), Some("PrivateSubnetIds"));
        assert_eq!(
            e.message,
            "3 subnet ids for 2 zones; allowed: a multiple of the zone count (one subnet per zone and group)"
        );
        let (app, _) = imported(VpcAttributes::new("vpc-0abc", Vec::<Str>::new()));
        let d = failed(&app);
        let e = one(&d, codes::IMPORTED_SUBNETS);
        assert_eq!(e.property.as_deref(), Some("AvailabilityZones"));
    }

    #[test]
    fn vpc_in_one_stack_is_used_from_another() {
        let app = App::new();
        let net = app.stack("Network").unwrap();
        let svc = app.stack("Service").unwrap();
        let vpc = Vpc::new(&net, "Vpc", VpcProps::new()).unwrap();
        let sg = crate::ec2::SecurityGroup::new(
            &svc,
            "Tasks",
            crate::ec2::SecurityGroupProps::new(&vpc),
        )
        .unwrap();
        let _ = sg;
        let asm = synth_and_lint(&app, "ec2-vpc-cross-stack");
        let t = template(&asm, "Service");
        assert!(t["Resources"]["Tasks"]["Properties"]["VpcId"]["Fn::ImportValue"].is_string());
    }
}
