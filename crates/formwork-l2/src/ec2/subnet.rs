//! Subnets: their types and groups, and the selections other constructs
//! are placed in.

use std::collections::HashSet;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, ResourceRef, Scope};
use formwork_l1::ec2::{CfnRouteRef, CfnRouteTableRef, CfnSubnetRef};

use super::codes;

/// How the subnets of a group reach the internet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubnetType {
    /// A route to the internet gateway; instances get public addresses
    /// (`MapPublicIpOnLaunch`). For load balancers and NAT gateways.
    Public,
    /// Outbound internet through a NAT gateway, nothing inbound from the
    /// internet. For tasks, functions, file systems, caches.
    Private,
    /// No route out of the VPC (reach AWS services through endpoints).
    Isolated,
}

impl SubnetType {
    pub(super) fn name(self) -> &'static str {
        match self {
            SubnetType::Public => "Public",
            SubnetType::Private => "Private",
            SubnetType::Isolated => "Isolated",
        }
    }
}

/// A group of subnets: one subnet per availability zone, all of one type and
/// size.
///
/// ```
/// use formwork::ec2::{SubnetGroup, SubnetType};
/// let g = SubnetGroup::private_with_nat("App", 22);
/// assert_eq!((g.name(), g.subnet_type(), g.cidr_mask()), ("App", SubnetType::Private, 22));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetGroup {
    pub(super) name: String,
    pub(super) subnet_type: SubnetType,
    pub(super) cidr_mask: u8,
}

impl SubnetGroup {
    /// Public subnets of prefix length `cidr_mask` (16 to 28).
    pub fn public(name: impl Into<String>, cidr_mask: u8) -> SubnetGroup {
        SubnetGroup::new(name.into(), SubnetType::Public, cidr_mask)
    }

    /// Private subnets whose outbound traffic goes through NAT gateways in
    /// the public subnets (the VPC needs a public group).
    pub fn private_with_nat(name: impl Into<String>, cidr_mask: u8) -> SubnetGroup {
        SubnetGroup::new(name.into(), SubnetType::Private, cidr_mask)
    }

    /// Isolated subnets: no route out of the VPC.
    pub fn isolated(name: impl Into<String>, cidr_mask: u8) -> SubnetGroup {
        SubnetGroup::new(name.into(), SubnetType::Isolated, cidr_mask)
    }

    fn new(name: String, subnet_type: SubnetType, cidr_mask: u8) -> SubnetGroup {
        SubnetGroup {
            name,
            subnet_type,
            cidr_mask,
        }
    }

    /// The group name (in construct ids, `Name` tags, and selections).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The subnet type.
    pub fn subnet_type(&self) -> SubnetType {
        self.subnet_type
    }

    /// The prefix length of each subnet.
    pub fn cidr_mask(&self) -> u8 {
        self.cidr_mask
    }
}

/// Which subnets of a VPC a construct goes into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetSelection {
    /// Every subnet.
    All,
    /// The subnets of every group of a type.
    Type(SubnetType),
    /// The subnets of the group with this name.
    Group(String),
}

impl SubnetSelection {
    /// The subnets of the named group.
    pub fn group(name: impl Into<String>) -> SubnetSelection {
        SubnetSelection::Group(name.into())
    }
}

impl From<SubnetType> for SubnetSelection {
    fn from(t: SubnetType) -> Self {
        SubnetSelection::Type(t)
    }
}

/// One subnet of a [`Vpc`](super::Vpc).
#[derive(Clone, Debug)]
pub struct Subnet {
    pub(super) subnet_type: SubnetType,
    pub(super) group: String,
    pub(super) zone_index: usize,
    pub(super) subnet_id: Str,
    pub(super) availability_zone: Str,
    pub(super) cidr_block: Option<String>,
    pub(super) cfn: Option<CfnSubnetRef>,
    pub(super) route_table: Option<CfnRouteTableRef>,
    pub(super) default_route: Option<CfnRouteRef>,
}

impl Subnet {
    /// The subnet id (`Ref` of the subnet, or the id it was imported with).
    pub fn subnet_id(&self) -> Str {
        self.subnet_id.clone()
    }

    /// Its availability zone (`Fn::Select [i, Fn::GetAZs ""]`, or as imported).
    pub fn availability_zone(&self) -> Str {
        self.availability_zone.clone()
    }

    /// The position of its zone among the VPC's zones (0-based).
    pub fn zone_index(&self) -> usize {
        self.zone_index
    }

    /// Its IPv4 block, computed at synth (`None` when imported).
    pub fn cidr_block(&self) -> Option<&str> {
        self.cidr_block.as_deref()
    }

    /// How it reaches the internet.
    pub fn subnet_type(&self) -> SubnetType {
        self.subnet_type
    }

    /// The name of its group (`Public`, `Private`, `Isolated` for imported subnets).
    pub fn group_name(&self) -> &str {
        &self.group
    }

    /// The id of its route table (`None` when imported).
    pub fn route_table_id(&self) -> Option<Str> {
        self.route_table.as_ref().map(|r| r.ref_().into())
    }

    /// The L1 subnet (`None` when imported).
    pub fn cfn(&self) -> Option<&CfnSubnetRef> {
        self.cfn.as_ref()
    }

    /// The L1 route table (`None` when imported).
    pub fn route_table(&self) -> Option<&CfnRouteTableRef> {
        self.route_table.as_ref()
    }

    /// The `0.0.0.0/0` route: to the internet gateway (public) or a NAT
    /// gateway (private); `None` for isolated and imported subnets.
    pub fn default_route(&self) -> Option<&CfnRouteRef> {
        self.default_route.as_ref()
    }
}

/// The subnets a selection picked, in group order then zone order.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{SubnetType, Vpc, VpcProps};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let private = vpc.select_subnets(SubnetType::Private);
/// assert_eq!(private.len(), 2);
/// let ids = private.ids(); // for an L1 `Subnets`/`SubnetIds` property
/// # let _ = ids;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct SelectedSubnets {
    pub(super) subnets: Vec<Subnet>,
}

impl SelectedSubnets {
    /// The subnets.
    pub fn subnets(&self) -> &[Subnet] {
        &self.subnets
    }

    /// The subnet ids.
    pub fn ids(&self) -> Vec<Str> {
        self.subnets.iter().map(Subnet::subnet_id).collect()
    }

    /// The zones of the subnets, one per subnet, in the same order.
    pub fn availability_zones(&self) -> Vec<Str> {
        self.subnets.iter().map(Subnet::availability_zone).collect()
    }

    /// The ids of the subnets' route tables, once each (imported subnets
    /// have none known).
    pub fn route_table_ids(&self) -> Vec<Str> {
        let mut seen = HashSet::new();
        self.subnets
            .iter()
            .filter_map(|s| s.route_table.as_ref())
            .filter(|r| seen.insert(r.logical_id()))
            .map(|r| r.ref_().into())
            .collect()
    }

    /// The number of subnets.
    pub fn len(&self) -> usize {
        self.subnets.len()
    }

    /// True when nothing was selected.
    pub fn is_empty(&self) -> bool {
        self.subnets.is_empty()
    }

    /// True when every selected subnet is of type `t` (and there is at least
    /// one): a service in public subnets needs public IP addresses, say.
    pub fn all_of_type(&self, t: SubnetType) -> bool {
        !self.is_empty() && self.subnets.iter().all(|s| s.subnet_type == t)
    }

    /// The number of distinct zones.
    pub fn zone_count(&self) -> usize {
        self.subnets
            .iter()
            .map(|s| s.zone_index)
            .collect::<HashSet<_>>()
            .len()
    }

    /// Keeps the first subnet of each zone (load balancers and interface
    /// endpoints take at most one subnet per zone).
    pub fn one_per_zone(self) -> SelectedSubnets {
        let mut seen = HashSet::new();
        SelectedSubnets {
            subnets: self
                .subnets
                .into_iter()
                .filter(|s| seen.insert(s.zone_index))
                .collect(),
        }
    }

    /// The routes that give these subnets internet access (public: to the
    /// internet gateway; private: to the NAT gateway). A resource that needs
    /// the internet as soon as it exists (an internet-facing load balancer,
    /// a task pulling its image) should depend on them.
    pub fn internet_dependencies(&self) -> Vec<ResourceRef> {
        self.subnets
            .iter()
            .filter_map(|s| s.default_route.as_ref())
            .map(|r| ResourceRef::clone(r))
            .collect()
    }

    /// Makes `resource` depend on [`SelectedSubnets::internet_dependencies`].
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{SubnetType, Vpc, VpcProps};
    /// # use formwork::ec2::CfnEip;
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let eip = stack.add("Ip", CfnEip::new().domain("vpc"))?;
    /// vpc.select_subnets(SubnetType::Public).add_internet_dependency(&eip);
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn add_internet_dependency(&self, resource: &ResourceRef) {
        for r in self.internet_dependencies() {
            resource.add_depends_on(&r);
        }
    }

    /// Reports `FW3009` on `scope` (a construct that needs subnets) when the
    /// selection is empty; returns false then.
    #[track_caller]
    pub fn check_not_empty(&self, scope: &Scope, property: &str) -> bool {
        if self.is_empty() {
            scope.report(
                Diagnostic::error(
                    codes::NO_SUBNETS,
                    scope.path(),
                    "the subnet selection matches no subnet of the VPC",
                )
                .property(property)
                .fix("select a subnet type or group the VPC has"),
            );
            return false;
        }
        true
    }

    /// Reports `FW3010` on `scope` when two selected subnets share a zone
    /// (what load balancers and interface endpoints refuse); returns false then.
    #[track_caller]
    pub fn check_one_per_zone(&self, scope: &Scope, property: &str) -> bool {
        if self.zone_count() < self.len() {
            scope.report(
                Diagnostic::error(
                    codes::DUPLICATE_ZONE,
                    scope.path(),
                    format!(
                        "the selection has {} subnets in {} zones; allowed: one subnet per zone",
                        self.len(),
                        self.zone_count()
                    ),
                )
                .property(property)
                .fix("select one subnet group, or call one_per_zone() on the selection"),
            );
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::testutil::{failed, one};
    use crate::ec2::{Vpc, VpcProps};
    use formwork_core::{App, Fn};
    use formwork_l1::ec2::CfnEip;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    #[test]
    fn selections_by_type_group_and_all() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(
            &s,
            "Vpc",
            VpcProps::new().subnet_groups([
                SubnetGroup::public("Public", 24),
                SubnetGroup::private_with_nat("App", 24),
                SubnetGroup::private_with_nat("Db", 24),
            ]),
        )
        .unwrap();
        let private = vpc.select_subnets(SubnetType::Private);
        assert_eq!(private.len(), 4);
        assert_eq!(private.zone_count(), 2);
        assert!(!private.check_one_per_zone(&s, "Subnets"));
        let one_each = private.clone().one_per_zone();
        assert_eq!(one_each.len(), 2);
        assert!(one_each.subnets().iter().all(|s| s.group_name() == "App"));
        let db = vpc.select_subnets(SubnetSelection::group("Db"));
        assert_eq!(db.len(), 2);
        assert_eq!(
            db.ids(),
            vec![vpc.subnets()[4].subnet_id(), vpc.subnets()[5].subnet_id()]
        );
        assert_eq!(
            db.availability_zones(),
            vec![
                Str::from(Fn::select(0, Fn::get_azs(""))),
                Str::from(Fn::select(1, Fn::get_azs("")))
            ]
        );
        assert_eq!(db.route_table_ids().len(), 2);
        assert_eq!(
            db.route_table_ids()[0],
            vpc.subnets()[4].route_table_id().unwrap()
        );
        assert_eq!(vpc.select_subnets(SubnetSelection::All).len(), 6);
        assert!(db.all_of_type(SubnetType::Private));
        assert!(
            !vpc.select_subnets(SubnetSelection::All)
                .all_of_type(SubnetType::Public)
        );
        assert!(!SelectedSubnets::default().all_of_type(SubnetType::Public));
        assert!(vpc.select_subnets(SubnetType::Isolated).is_empty());
        assert!(
            vpc.select_subnets(SubnetSelection::group("Nope"))
                .is_empty()
        );
        let public = vpc.select_subnets(SubnetType::Public);
        let deps: Vec<String> = public
            .internet_dependencies()
            .iter()
            .map(|r| r.logical_id())
            .collect();
        assert_eq!(
            deps,
            [
                "VpcPublicSubnet1DefaultRoute",
                "VpcPublicSubnet2DefaultRoute"
            ]
        );
        let deps: Vec<String> = db
            .internet_dependencies()
            .iter()
            .map(|r| r.logical_id())
            .collect();
        assert_eq!(
            deps,
            ["VpcDbSubnet1DefaultRoute", "VpcDbSubnet2DefaultRoute"]
        );
    }

    #[test]
    fn internet_dependencies_become_depends_on() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let eip = s.add("Ip", CfnEip::new().domain("vpc")).unwrap();
        vpc.select_subnets(SubnetType::Public)
            .add_internet_dependency(&eip);
        let t = template(&synth_and_lint(&app, "ec2-internet-deps"), "Net");
        assert_eq!(
            t["Resources"]["Ip"]["DependsOn"],
            json!([
                "VpcPublicSubnet1DefaultRoute",
                "VpcPublicSubnet2DefaultRoute"
            ])
        );
    }

    #[test]
    fn empty_selection_is_reported_by_the_consumer() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let consumer = s.child("Cache").unwrap();
        assert!(
            !vpc.select_subnets(SubnetType::Isolated)
                .check_not_empty(&consumer, "SubnetIds")
        );
        assert!(
            vpc.select_subnets(SubnetType::Private)
                .check_not_empty(&consumer, "SubnetIds")
        );
        let d = failed(&app);
        let e = one(&d, codes::NO_SUBNETS);
        assert_eq!(e.path, "Net/Cache");
        assert_eq!(e.property.as_deref(), Some("SubnetIds"));
        assert_eq!(
            e.message,
            "the subnet selection matches no subnet of the VPC"
        );
    }

    #[test]
    fn two_subnets_in_one_zone_are_reported_by_the_consumer() {
        let app = App::new();
        let s = app.stack("Net").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        let consumer = s.child("Lb").unwrap();
        assert!(
            !vpc.select_subnets(SubnetSelection::All)
                .check_one_per_zone(&consumer, "Subnets")
        );
        let d = failed(&app);
        let e = one(&d, codes::DUPLICATE_ZONE);
        assert_eq!(e.path, "Net/Lb");
        assert_eq!(e.property.as_deref(), Some("Subnets"));
        assert_eq!(
            e.message,
            "the selection has 4 subnets in 2 zones; allowed: one subnet per zone"
        );
    }
}
