//! SecurityGroup: a VPC security group and its rules.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Result, Scope, Stack, Value, logical_id_for_path};
use formwork_l1::ec2::{
    CfnSecurityGroup, CfnSecurityGroupEgress, CfnSecurityGroupIngress, CfnSecurityGroupRef,
    security_group,
};

use super::codes;
use super::connections::{Connectable, Connections};
use super::peer::{Peer, PeerKind};
use super::port::Port;
use super::vpc::Vpc;

/// What a [`SecurityGroup`] is made with.
///
/// Defaults: the description is the construct path; no name (EC2 makes
/// one, so the stack can be deployed twice); **all outbound traffic
/// allowed**, which is how EC2 creates a group anyway (the template then
/// carries no egress rule at all, so `0.0.0.0/0` does not appear in it).
/// With `allow_all_outbound(false)` the group starts with no outbound access
/// (one rule that matches no traffic) and egress rules are added as
/// connections are allowed. Nothing inbound is open until a rule says so.
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{SecurityGroupProps, Vpc, VpcProps};
/// let app = App::new();
/// let stack = app.stack("Demo")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let props = SecurityGroupProps::new(&vpc)
///     .description("Weather service tasks")
///     .allow_all_outbound(true);
/// # let _ = props;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SecurityGroupProps {
    vpc: Vpc,
    description: Option<String>,
    allow_all_outbound: bool,
    group_name: Option<Str>,
}

impl SecurityGroupProps {
    /// A group in `vpc`, with the defaults above.
    pub fn new(vpc: &Vpc) -> Self {
        SecurityGroupProps {
            vpc: vpc.clone(),
            description: None,
            allow_all_outbound: true,
            group_name: None,
        }
    }

    /// The group description (up to 255 characters: letters, digits, spaces
    /// and `._-:/()#,@[]+=&;{}!$*`; checked, `FW3022`). It cannot change
    /// without replacing the group.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether members may send traffic anywhere (default `true`).
    pub fn allow_all_outbound(mut self, allow: bool) -> Self {
        self.allow_all_outbound = allow;
        self
    }

    /// A fixed group name (checked, `FW3023`). Leave it unset unless
    /// something outside the stack looks the group up by name.
    pub fn group_name(mut self, name: impl Into<Str>) -> Self {
        self.group_name = Some(name.into());
        self
    }
}

/// Which way a rule lets traffic through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

#[derive(Debug, Default)]
struct State {
    /// Keys of every rule written for this group (inline or separate).
    rules: Vec<(Direction, String, Port)>,
    ingress: Vec<security_group::Ingress>,
    egress: Vec<security_group::Egress>,
    /// True while the egress list is the rule that matches nothing.
    egress_placeholder: bool,
    /// How many rules with a reference peer got a numbered id.
    numbered: u32,
}

struct Inner {
    node: Scope,
    cfn: Option<CfnSecurityGroupRef>,
    group_id: Str,
    allow_all_outbound: bool,
    state: RefCell<State>,
}

/// A VPC security group.
///
/// Rules are added through its [`Connections`] (`sg.connections().allow_from(..)`,
/// see there for where rules land) or directly with
/// [`SecurityGroup::add_ingress_rule`]/[`SecurityGroup::add_egress_rule`].
/// Other constructs that own a group (load balancers, services, caches,
/// file systems) implement [`Connectable`] with it.
///
/// Where rules land: rules with an address block or prefix list are inline
/// in the group's `SecurityGroupIngress`/`SecurityGroupEgress`; rules with
/// another security group (or on a group imported with
/// [`SecurityGroup::from_id`]) are separate `AWS::EC2::SecurityGroupIngress`
/// /`AWS::EC2::SecurityGroupEgress` resources below the group's node, named
/// after the peer and the port (`ServiceSecurityGroupFromAlbSecurityGroup8501`).
///
/// ```
/// use formwork::App;
/// use formwork::ec2::{Connectable, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
/// let alb = SecurityGroup::new(&stack, "AlbSecurityGroup", SecurityGroupProps::new(&vpc).description("Load balancer"))?;
/// alb.connections().allow_from_any_ipv4(Port::tcp(443), "HTTPS from the internet")?;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone)]
pub struct SecurityGroup {
    inner: Rc<Inner>,
}

impl fmt::Debug for SecurityGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecurityGroup")
            .field("path", &self.inner.node.path())
            .field("imported", &self.inner.cfn.is_none())
            .field("allow_all_outbound", &self.inner.allow_all_outbound)
            .finish()
    }
}

/// The punctuation EC2 allows in group names and descriptions (besides
/// letters, digits and spaces).
const ALLOWED_TEXT: &str = "._-:/()#,@[]+=&;{}!$*";

fn text_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ' ' || ALLOWED_TEXT.contains(c)
}

/// True when every byte is one [`text_ok`] allows (so ASCII: as many
/// characters as bytes). A plain loop: the character test searches
/// `ALLOWED_TEXT` for each character, over a hundred instructions a
/// character in a debug build, and every rule's description is checked.
fn plain_text(mut rest: &[u8]) -> bool {
    while let [b, tail @ ..] = rest {
        let ok = matches!(
            b,
            b'a'..=b'z'
                | b'A'..=b'Z'
                | b'0'..=b'9'
                | b' '
                | b'.'
                | b'_'
                | b'-'
                | b':'
                | b'/'
                | b'('
                | b')'
                | b'#'
                | b','
                | b'@'
                | b'['
                | b']'
                | b'+'
                | b'='
                | b'&'
                | b';'
                | b'{'
                | b'}'
                | b'!'
                | b'$'
                | b'*'
        );
        if !ok {
            return false;
        }
        rest = tail;
    }
    true
}

/// The characters of `text` EC2 refuses, once each, as `a`, `b`.
fn refused(text: &str) -> String {
    let mut seen = Vec::new();
    for c in text.chars().filter(|c| !text_ok(*c)) {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a group or rule description against EC2's rule (255 characters
/// of letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`); reports
/// `FW3022` on `scope` and returns false when it breaks it.
#[track_caller]
pub(crate) fn check_description(scope: &Scope, property: &str, text: &str) -> bool {
    if text.len() <= 255 && plain_text(text.as_bytes()) {
        return true;
    }
    let bad = refused(text);
    let problem = if text.chars().count() > 255 {
        Some(format!(
            "the description is {} characters long; allowed: up to 255",
            text.chars().count()
        ))
    } else if !bad.is_empty() {
        Some(format!(
            "the description `{text}` has characters EC2 refuses ({bad}); allowed: letters, digits, spaces and {ALLOWED_TEXT}"
        ))
    } else {
        None
    };
    match problem {
        Some(msg) => {
            scope.error(codes::DESCRIPTION, property, msg);
            false
        }
        None => true,
    }
}

#[track_caller]
fn check_group_name(scope: &Scope, name: &Str) {
    let Some(text) = Value::from(name.clone()).as_str().map(str::to_owned) else {
        return;
    };
    let problem = if text.is_empty() || text.chars().count() > 255 {
        Some("a group name is 1 to 255 characters".to_owned())
    } else if text.to_ascii_lowercase().starts_with("sg-") {
        Some(format!(
            "the group name `{text}` starts with `sg-`, which EC2 keeps for group ids"
        ))
    } else if text.chars().any(|c| !text_ok(c)) {
        Some(format!(
            "the group name `{text}` has characters EC2 refuses ({}); allowed: letters, digits, spaces and {ALLOWED_TEXT}",
            refused(&text)
        ))
    } else {
        None
    };
    if let Some(msg) = problem {
        scope.report(
            Diagnostic::error(codes::GROUP_NAME, scope.path(), msg)
                .property("GroupName")
                .fix("leave the name unset: EC2 generates a unique one"),
        );
    }
}

/// The construct path as a description EC2 accepts.
fn default_description(path: &str) -> String {
    path.chars()
        .map(|c| if text_ok(c) { c } else { '-' })
        .take(255)
        .collect()
}

/// The egress rule of a group that allows no outbound traffic: EC2 adds
/// "allow all" to a group created without egress rules, so a group that
/// allows nothing needs one rule, and this one matches no packet.
fn no_traffic_egress() -> security_group::Egress {
    security_group::Egress::new()
        .cidr_ip("255.255.255.255/32")
        .description("Disallow all traffic")
        .ip_protocol("icmp")
        .from_port(252)
        .to_port(86)
}

impl SecurityGroup {
    /// Adds a security group at `scope/id` in the props' VPC.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let sg = SecurityGroup::new(&stack, "Tasks", SecurityGroupProps::new(&vpc))?;
    /// assert_eq!(sg.cfn().map(|c| c.logical_id()).as_deref(), Some("Tasks"));
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(scope: &Scope, id: &str, props: SecurityGroupProps) -> Result<SecurityGroup> {
        let node = scope.child(id)?;
        let description = match props.description {
            Some(d) => {
                check_description(&node, "GroupDescription", &d);
                d
            }
            None => default_description(&node.path()),
        };
        let mut cfn = CfnSecurityGroup::new()
            .group_description(description)
            .vpc_id(props.vpc.vpc_id())
            .tags([security_group::Tag::new().key("Name").value(node.path())]);
        if let Some(name) = props.group_name {
            check_group_name(&node, &name);
            cfn = cfn.group_name(name);
        }
        let mut state = State::default();
        if !props.allow_all_outbound {
            state.egress = vec![no_traffic_egress()];
            state.egress_placeholder = true;
            cfn = cfn.security_group_egress(state.egress.clone());
        }
        let cfn = node.add_here(cfn)?;
        Ok(SecurityGroup {
            inner: Rc::new(Inner {
                group_id: cfn.group_id().into(),
                cfn: Some(cfn),
                node,
                allow_all_outbound: props.allow_all_outbound,
                state: RefCell::new(state),
            }),
        })
    }

    /// The security group of a construct that lives in one (a file system,
    /// a cache, a load balancer): `given` when the user chose a group,
    /// otherwise a new group at `owner/SecurityGroup` made with `props`.
    /// Wrap it in [`Connections`] (with the construct's default port) to
    /// implement [`Connectable`].
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Connections, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let cache = stack.child("Cache")?;
    /// let given: Option<&SecurityGroup> = None;
    /// let group = SecurityGroup::for_construct(&cache, given, SecurityGroupProps::new(&vpc))?;
    /// assert_eq!(group.scope().path(), "Demo/Cache/SecurityGroup");
    /// let connections = Connections::new([group]).with_default_port(Port::tcp(6379));
    /// # let _ = connections;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn for_construct(
        owner: &Scope,
        given: Option<&SecurityGroup>,
        props: SecurityGroupProps,
    ) -> Result<SecurityGroup> {
        match given {
            Some(g) => Ok(g.clone()),
            None => SecurityGroup::new(owner, "SecurityGroup", props),
        }
    }

    /// Uses an existing security group by id (`sg-…`, literal or a
    /// reference): nothing is created for the group itself, but rules added
    /// to it become `AWS::EC2::SecurityGroupIngress` resources under
    /// `scope/id` (all of them separate, none inline). It is taken to allow
    /// all outbound traffic, so no egress rule is ever added to it.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Connectable, Port, SecurityGroup};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let shared = SecurityGroup::from_id(&stack, "Shared", "sg-0123456789abcdef0")?;
    /// shared.connections().allow_from_any_ipv4(Port::tcp(443), "HTTPS")?;
    /// assert!(shared.cfn().is_none());
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn from_id(scope: &Scope, id: &str, group_id: impl Into<Str>) -> Result<SecurityGroup> {
        SecurityGroup::from_id_inner(scope, id, group_id.into())
    }

    #[track_caller]
    fn from_id_inner(scope: &Scope, id: &str, group_id: Str) -> Result<SecurityGroup> {
        let node = scope.child(id)?;
        if let Some(text) = Value::from(group_id.clone()).as_str() {
            if !text.starts_with("sg-") || text.len() < 4 {
                node.report(
                    Diagnostic::error(
                        codes::IMPORTED_ID,
                        node.path(),
                        format!("`{text}` is not a security group id"),
                    )
                    .property("GroupId")
                    .fix("a security group id looks like sg-0123456789abcdef0"),
                );
            }
        }
        Ok(SecurityGroup {
            inner: Rc::new(Inner {
                node,
                cfn: None,
                group_id,
                allow_all_outbound: true,
                state: RefCell::new(State::default()),
            }),
        })
    }

    /// The L1 resource, for what this construct does not model; `None` for
    /// a group imported with [`SecurityGroup::from_id`].
    pub fn cfn(&self) -> Option<&CfnSecurityGroupRef> {
        self.inner.cfn.as_ref()
    }

    /// The construct's scope (rule resources are added below it).
    pub fn scope(&self) -> &Scope {
        &self.inner.node
    }

    /// The group id: `Fn::GetAtt GroupId`, or the id it was imported with.
    pub fn security_group_id(&self) -> Str {
        self.inner.group_id.clone()
    }

    /// True when members may send traffic anywhere (egress rules are then
    /// not written).
    pub fn allows_all_outbound(&self) -> bool {
        self.inner.allow_all_outbound
    }

    /// Adds one ingress rule (only this one: [`Connections::allow_from`]
    /// also writes the matching egress rule on the peer group).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Peer, Port, SecurityGroup, SecurityGroupProps, Vpc, VpcProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let sg = SecurityGroup::new(&stack, "Bastion", SecurityGroupProps::new(&vpc))?;
    /// sg.add_ingress_rule(&Peer::ipv4("203.0.113.0/24"), Port::tcp(22), "SSH from the office")?;
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn add_ingress_rule(&self, peer: &Peer, port: Port, description: &str) -> Result<()> {
        if self.check(peer, &port, description) {
            self.rule(Direction::Ingress, peer, &port, description, self)?;
        }
        Ok(())
    }

    /// Adds one egress rule (nothing when the group allows all outbound traffic).
    #[track_caller]
    pub fn add_egress_rule(&self, peer: &Peer, port: Port, description: &str) -> Result<()> {
        if self.check(peer, &port, description) {
            self.rule(Direction::Egress, peer, &port, description, self)?;
        }
        Ok(())
    }

    fn check(&self, peer: &Peer, port: &Port, description: &str) -> bool {
        let node = &self.inner.node;
        let mut ok = true;
        if let Some(msg) = port.problem() {
            node.error(codes::PORT, "SecurityGroupIngress", msg);
            ok = false;
        }
        ok &= check_description(node, "SecurityGroupIngress.Description", description);
        if let Some((msg, fix)) = peer.problem() {
            let mut d =
                Diagnostic::error(codes::PEER, node.path(), msg).property("SecurityGroupIngress");
            if let Some(f) = fix {
                d = d.fix(f);
            }
            node.report(d);
            ok = false;
        }
        ok
    }

    pub(crate) fn same_as(&self, other: &SecurityGroup) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    fn stack(&self) -> Stack {
        self.inner.node.stack()
    }

    pub(crate) fn same_stack(&self, other: &SecurityGroup) -> bool {
        self.stack() == other.stack()
    }

    /// The group's name in logical ids made in `stack`: its own logical id,
    /// after its stack's name when that is another stack.
    fn label_in(&self, stack: &Stack) -> String {
        let own = self.inner.node.logical_id();
        if self.stack() == *stack {
            own
        } else {
            format!("{}{own}", logical_id_for_path(self.stack().name()))
        }
    }

    /// Writes one rule of this group, once: inline when the peer is an
    /// address or prefix list and the group is created here, otherwise a
    /// separate resource below `placed`'s node.
    #[track_caller]
    pub(crate) fn rule(
        &self,
        direction: Direction,
        peer: &Peer,
        port: &Port,
        description: &str,
        placed: &SecurityGroup,
    ) -> Result<()> {
        if direction == Direction::Egress && self.inner.allow_all_outbound {
            return Ok(());
        }
        // The rules a group has, compared by value: a group has a handful,
        // and a list searched by `==` costs far less in a debug build than
        // a formatted key in a SipHash set.
        let key = (direction, peer.key(), *port);
        {
            let mut state = self.inner.state.borrow_mut();
            if state.rules.contains(&key) {
                return Ok(());
            }
            state.rules.push(key);
        }
        if direction == Direction::Ingress
            && peer.is_anywhere()
            && (port.covers_tcp(22) || port.covers_tcp(3389))
        {
            self.inner.node.warn(
                codes::ADMIN_PORT_OPEN,
                "SecurityGroupIngress",
                format!("{port} is open to {peer}: remote administration reachable from the whole internet"),
            );
        }
        match (peer.kind(), &self.inner.cfn) {
            (PeerKind::Group(_), _) | (_, None) => {
                self.separate_rule(direction, peer, port, description, placed)
            }
            (_, Some(cfn)) => {
                self.inline_rule(cfn, direction, peer, port, description);
                Ok(())
            }
        }
    }

    fn rule_id(
        &self,
        direction: Direction,
        peer: &Peer,
        port: &Port,
        placed: &SecurityGroup,
    ) -> String {
        let port = port.label();
        if !placed.same_as(self) {
            // A rule of this group kept in the other group's stack (see `Connections`).
            let me = self.label_in(&placed.stack());
            return match direction {
                Direction::Ingress => format!("IngressTo{me}{port}"),
                Direction::Egress => format!("EgressFrom{me}{port}"),
            };
        }
        let peer_label = match peer.kind() {
            PeerKind::Group(g) => g.label_in(&self.stack()),
            _ => peer.label().unwrap_or_else(|| {
                let mut st = self.inner.state.borrow_mut();
                st.numbered += 1;
                format!("Peer{}", st.numbered)
            }),
        };
        match direction {
            Direction::Ingress => format!("From{peer_label}{port}"),
            Direction::Egress => format!("To{peer_label}{port}"),
        }
    }

    #[track_caller]
    fn separate_rule(
        &self,
        direction: Direction,
        peer: &Peer,
        port: &Port,
        description: &str,
        placed: &SecurityGroup,
    ) -> Result<()> {
        let id = self.rule_id(direction, peer, port, placed);
        let node = &placed.inner.node;
        match direction {
            Direction::Ingress => {
                let mut r = CfnSecurityGroupIngress::new()
                    .group_id(self.security_group_id())
                    .ip_protocol(port.protocol().as_str());
                if port.has_ports() {
                    r = r.from_port(port.from_port()).to_port(port.to_port());
                }
                if !description.is_empty() {
                    r = r.description(description);
                }
                r = match peer.kind() {
                    PeerKind::Group(g) => r.source_security_group_id(g.security_group_id()),
                    PeerKind::Ipv4(c) => r.cidr_ip(c.clone()),
                    PeerKind::Ipv6(c) => r.cidr_ipv6(c.clone()),
                    PeerKind::PrefixList(p) => r.source_prefix_list_id(p.clone()),
                };
                node.add(&id, r)?;
            }
            Direction::Egress => {
                let mut r = CfnSecurityGroupEgress::new()
                    .group_id(self.security_group_id())
                    .ip_protocol(port.protocol().as_str());
                if port.has_ports() {
                    r = r.from_port(port.from_port()).to_port(port.to_port());
                }
                if !description.is_empty() {
                    r = r.description(description);
                }
                r = match peer.kind() {
                    PeerKind::Group(g) => r.destination_security_group_id(g.security_group_id()),
                    PeerKind::Ipv4(c) => r.cidr_ip(c.clone()),
                    PeerKind::Ipv6(c) => r.cidr_ipv6(c.clone()),
                    PeerKind::PrefixList(p) => r.destination_prefix_list_id(p.clone()),
                };
                node.add(&id, r)?;
            }
        }
        Ok(())
    }

    fn inline_rule(
        &self,
        cfn: &CfnSecurityGroupRef,
        direction: Direction,
        peer: &Peer,
        port: &Port,
        description: &str,
    ) {
        let mut st = self.inner.state.borrow_mut();
        match direction {
            Direction::Ingress => {
                let mut r = security_group::Ingress::new().ip_protocol(port.protocol().as_str());
                if port.has_ports() {
                    r = r.from_port(port.from_port()).to_port(port.to_port());
                }
                if !description.is_empty() {
                    r = r.description(description);
                }
                r = match peer.kind() {
                    PeerKind::Ipv4(c) => r.cidr_ip(c.clone()),
                    PeerKind::Ipv6(c) => r.cidr_ipv6(c.clone()),
                    PeerKind::PrefixList(p) => r.source_prefix_list_id(p.clone()),
                    PeerKind::Group(g) => r.source_security_group_id(g.security_group_id()),
                };
                st.ingress.push(r);
                let list = st.ingress.clone();
                drop(st);
                cfn.update(|c| c.security_group_ingress(list));
            }
            Direction::Egress => {
                if st.egress_placeholder {
                    st.egress.clear();
                    st.egress_placeholder = false;
                }
                let mut r = security_group::Egress::new().ip_protocol(port.protocol().as_str());
                if port.has_ports() {
                    r = r.from_port(port.from_port()).to_port(port.to_port());
                }
                if !description.is_empty() {
                    r = r.description(description);
                }
                r = match peer.kind() {
                    PeerKind::Ipv4(c) => r.cidr_ip(c.clone()),
                    PeerKind::Ipv6(c) => r.cidr_ipv6(c.clone()),
                    PeerKind::PrefixList(p) => r.destination_prefix_list_id(p.clone()),
                    PeerKind::Group(g) => r.destination_security_group_id(g.security_group_id()),
                };
                st.egress.push(r);
                let list = st.egress.clone();
                drop(st);
                cfn.update(|c| c.security_group_egress(list));
            }
        }
    }
}

impl Connectable for SecurityGroup {
    fn connections(&self) -> Connections {
        Connections::new([self.clone()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ec2::testutil::{failed, of_type, one};
    use crate::ec2::{VpcProps, vpc::Vpc};
    use formwork_core::{App, Fn};
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    /// Property: the byte loop agrees with the character test on every
    /// byte value, and refuses any non-ASCII byte.
    #[test]
    fn plain_text_is_the_character_test_on_ascii() {
        for b in 0..=255u8 {
            let bytes = [b'a', b, b'9'];
            let want = b.is_ascii() && text_ok(b as char);
            assert_eq!(plain_text(&bytes), want, "{b:#x}");
        }
        assert!(plain_text(b""));
        assert!(!plain_text("Bucketé".as_bytes()));
    }

    fn setup() -> (App, Stack, Vpc) {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        let vpc = Vpc::new(&s, "Vpc", VpcProps::new()).unwrap();
        (app, s, vpc)
    }

    #[test]
    fn default_group_opens_nothing_and_writes_no_egress() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(&s, "Tasks", SecurityGroupProps::new(&vpc)).unwrap();
        assert!(sg.allows_all_outbound());
        assert_eq!(
            sg.security_group_id(),
            Str::from(sg.cfn().unwrap().group_id())
        );
        let t = template(&synth_and_lint(&app, "ec2-sg-default"), "Web");
        assert_eq!(
            t["Resources"]["Tasks"],
            json!({
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": "Web/Tasks",
                    "Tags": [{"Key": "Name", "Value": "Web/Tasks"}],
                    "VpcId": {"Ref": "Vpc"}
                }
            })
        );
    }

    #[test]
    fn a_construct_gets_the_given_group_or_a_new_one_below_it() {
        let (app, s, vpc) = setup();
        let owner = s.child("Files").unwrap();
        let own = SecurityGroup::for_construct(
            &owner,
            None,
            SecurityGroupProps::new(&vpc).allow_all_outbound(false),
        )
        .unwrap();
        assert_eq!(own.scope().path(), "Web/Files/SecurityGroup");
        assert!(!own.allows_all_outbound());
        let shared = SecurityGroup::new(&s, "Shared", SecurityGroupProps::new(&vpc)).unwrap();
        let other = s.child("Cache").unwrap();
        let given =
            SecurityGroup::for_construct(&other, Some(&shared), SecurityGroupProps::new(&vpc))
                .unwrap();
        assert!(given.same_as(&shared));
        let t = template(&synth_and_lint(&app, "ec2-sg-for-construct"), "Web");
        let groups: Vec<&str> = of_type(&t, "AWS::EC2::SecurityGroup")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(groups, ["FilesSecurityGroup", "Shared"]);
        assert_eq!(
            t["Resources"]["FilesSecurityGroup"]["Properties"]["GroupDescription"],
            "Web/Files/SecurityGroup"
        );
    }

    #[test]
    fn group_without_outbound_starts_with_a_rule_matching_nothing() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(
            &s,
            "Locked",
            SecurityGroupProps::new(&vpc)
                .allow_all_outbound(false)
                .description("No way out")
                .group_name("locked-down"),
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-sg-locked"), "Web");
        let p = &t["Resources"]["Locked"]["Properties"];
        assert_eq!(p["GroupDescription"], "No way out");
        assert_eq!(p["GroupName"], "locked-down");
        assert_eq!(
            p["SecurityGroupEgress"],
            json!([{
                "CidrIp": "255.255.255.255/32",
                "Description": "Disallow all traffic",
                "FromPort": 252,
                "IpProtocol": "icmp",
                "ToPort": 86
            }])
        );
        // An address egress rule replaces the rule that matches nothing.
        sg.add_egress_rule(
            &Peer::ipv4("10.0.0.0/16"),
            Port::tcp(443),
            "HTTPS in the VPC",
        )
        .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-sg-locked-egress"), "Web");
        assert_eq!(
            t["Resources"]["Locked"]["Properties"]["SecurityGroupEgress"],
            json!([{
                "CidrIp": "10.0.0.0/16",
                "Description": "HTTPS in the VPC",
                "FromPort": 443,
                "IpProtocol": "tcp",
                "ToPort": 443
            }])
        );
    }

    #[test]
    fn egress_rules_on_a_group_allowing_all_outbound_are_not_written() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(&s, "Open", SecurityGroupProps::new(&vpc)).unwrap();
        sg.add_egress_rule(&Peer::any_ipv4(), Port::tcp(443), "HTTPS out")
            .unwrap();
        let t = template(&app.synth().unwrap(), "Web");
        assert!(t["Resources"]["Open"]["Properties"]["SecurityGroupEgress"].is_null());
    }

    #[test]
    fn address_rules_are_inline_with_their_protocols() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(&s, "Edge", SecurityGroupProps::new(&vpc)).unwrap();
        sg.add_ingress_rule(&Peer::any_ipv4(), Port::tcp(443), "HTTPS")
            .unwrap();
        sg.add_ingress_rule(&Peer::any_ipv6(), Port::tcp(443), "HTTPS over IPv6")
            .unwrap();
        sg.add_ingress_rule(
            &Peer::prefix_list("pl-58a04531"),
            Port::tcp(80),
            "CloudFront",
        )
        .unwrap();
        sg.add_ingress_rule(&Peer::ipv4("10.0.0.0/16"), Port::udp(53), "DNS")
            .unwrap();
        sg.add_ingress_rule(&Peer::ipv4("10.0.0.0/16"), Port::icmp_ping(), "ping")
            .unwrap();
        sg.add_ingress_rule(&Peer::ipv4("192.168.0.0/24"), Port::all_traffic(), "")
            .unwrap();
        sg.add_ingress_rule(&Peer::any_ipv4(), Port::tcp(443), "HTTPS")
            .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-sg-inline"), "Web");
        assert_eq!(
            t["Resources"]["Edge"]["Properties"]["SecurityGroupIngress"],
            json!([
                {"CidrIp": "0.0.0.0/0", "Description": "HTTPS", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443},
                {"CidrIpv6": "::/0", "Description": "HTTPS over IPv6", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443},
                {"Description": "CloudFront", "FromPort": 80, "IpProtocol": "tcp", "SourcePrefixListId": "pl-58a04531", "ToPort": 80},
                {"CidrIp": "10.0.0.0/16", "Description": "DNS", "FromPort": 53, "IpProtocol": "udp", "ToPort": 53},
                {"CidrIp": "10.0.0.0/16", "Description": "ping", "FromPort": 8, "IpProtocol": "icmp", "ToPort": -1},
                {"CidrIp": "192.168.0.0/24", "IpProtocol": "-1"}
            ])
        );
        assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupIngress").len(), 0);
    }

    #[test]
    fn imported_group_gets_separate_rule_resources() {
        let (app, s, vpc) = setup();
        let shared = SecurityGroup::from_id(&s, "Shared", "sg-0123456789abcdef0").unwrap();
        let tasks = SecurityGroup::new(&s, "Tasks", SecurityGroupProps::new(&vpc)).unwrap();
        assert!(shared.cfn().is_none());
        shared
            .connections()
            .allow_from_any_ipv4(Port::tcp(443), "HTTPS")
            .unwrap();
        shared
            .add_ingress_rule(&Peer::ipv4("10.1.0.0/16"), Port::tcp(443), "peered VPC")
            .unwrap();
        shared
            .add_ingress_rule(
                &Peer::ipv4(Fn::import_value("other-cidr")),
                Port::tcp(443),
                "other",
            )
            .unwrap();
        tasks
            .connections()
            .allow_to(&shared, Port::tcp(5432), "Postgres")
            .unwrap();
        shared
            .add_egress_rule(
                &Peer::any_ipv4(),
                Port::all_traffic(),
                "ignored: taken to allow all",
            )
            .unwrap();
        let t = template(&synth_and_lint(&app, "ec2-sg-imported"), "Web");
        let r = &t["Resources"];
        assert_eq!(
            r["SharedFromAnyIpv4443"]["Properties"],
            json!({
                "CidrIp": "0.0.0.0/0",
                "Description": "HTTPS",
                "FromPort": 443,
                "GroupId": "sg-0123456789abcdef0",
                "IpProtocol": "tcp",
                "ToPort": 443
            })
        );
        assert_eq!(
            r["SharedFromIpv4x10x1x0x0x16443"]["Properties"]["CidrIp"],
            "10.1.0.0/16"
        );
        assert_eq!(
            r["SharedFromPeer1443"]["Properties"]["CidrIp"],
            json!({"Fn::ImportValue": "other-cidr"})
        );
        assert_eq!(
            r["SharedFromTasks5432"]["Properties"],
            json!({
                "Description": "Postgres",
                "FromPort": 5432,
                "GroupId": "sg-0123456789abcdef0",
                "IpProtocol": "tcp",
                "SourceSecurityGroupId": {"Fn::GetAtt": ["Tasks", "GroupId"]},
                "ToPort": 5432
            })
        );
        assert_eq!(of_type(&t, "AWS::EC2::SecurityGroupIngress").len(), 4);
        assert!(of_type(&t, "AWS::EC2::SecurityGroupEgress").is_empty());
    }

    #[test]
    fn imported_group_id_is_checked() {
        let app = App::new();
        let s = app.stack("Web").unwrap();
        SecurityGroup::from_id(&s, "Shared", "0123").unwrap();
        let d = failed(&app);
        let e = one(&d, codes::IMPORTED_ID);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Web/Shared", Some("GroupId"))
        );
        assert_eq!(e.message, "`0123` is not a security group id");
    }

    #[test]
    fn reversed_port_range_is_an_error() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
        sg.add_ingress_rule(&Peer::ipv4("10.0.0.0/8"), Port::tcp_range(9000, 8000), "x")
            .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::PORT);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Web/Sg", Some("SecurityGroupIngress"))
        );
        assert_eq!(
            e.message,
            "the port range 9000-8000 starts after it ends; allowed: a start at or before the end, 0 to 65535"
        );
    }

    #[test]
    fn bad_peer_blocks_are_errors() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc)).unwrap();
        sg.add_ingress_rule(&Peer::ipv4("10.0.0.1/8"), Port::tcp(443), "x")
            .unwrap();
        let d = failed(&app);
        let e = one(&d, codes::PEER);
        assert_eq!(
            (e.path.as_str(), e.property.as_deref()),
            ("Web/Sg", Some("SecurityGroupIngress"))
        );
        assert_eq!(
            e.message,
            "`10.0.0.1/8` has bits set after its prefix length"
        );
        assert_eq!(
            e.fix.as_deref(),
            Some("write the block's network address: 10.0.0.0/8")
        );
    }

    #[test]
    fn descriptions_are_checked() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(
            &s,
            "Sg",
            SecurityGroupProps::new(&vpc).description("Tasks <web>"),
        )
        .unwrap();
        sg.add_ingress_rule(&Peer::ipv4("10.0.0.0/8"), Port::tcp(443), &"x".repeat(256))
            .unwrap();
        let d = failed(&app);
        let found: Vec<_> = d.with_code(codes::DESCRIPTION).collect();
        assert_eq!(found.len(), 2, "{d}");
        assert_eq!(found[0].path, "Web/Sg");
        assert_eq!(found[0].property.as_deref(), Some("GroupDescription"));
        assert_eq!(
            found[0].message,
            "the description `Tasks <web>` has characters EC2 refuses (`<`, `>`); allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"
        );
        assert_eq!(
            found[1].property.as_deref(),
            Some("SecurityGroupIngress.Description")
        );
        assert_eq!(
            found[1].message,
            "the description is 256 characters long; allowed: up to 255"
        );
    }

    #[test]
    fn group_names_are_checked() {
        for (name, msg) in [
            (
                "sg-web",
                "the group name `sg-web` starts with `sg-`, which EC2 keeps for group ids",
            ),
            ("", "a group name is 1 to 255 characters"),
            (
                "web|app",
                "the group name `web|app` has characters EC2 refuses (`|`); allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
            ),
        ] {
            let (app, s, vpc) = setup();
            SecurityGroup::new(&s, "Sg", SecurityGroupProps::new(&vpc).group_name(name)).unwrap();
            let d = failed(&app);
            let e = one(&d, codes::GROUP_NAME);
            assert_eq!(
                (e.path.as_str(), e.property.as_deref()),
                ("Web/Sg", Some("GroupName"))
            );
            assert_eq!(e.message, msg);
        }
    }

    #[test]
    fn ssh_open_to_the_world_is_a_warning() {
        let (app, s, vpc) = setup();
        let sg = SecurityGroup::new(&s, "Bastion", SecurityGroupProps::new(&vpc)).unwrap();
        sg.connections()
            .allow_from_any_ipv4(Port::tcp(22), "SSH")
            .unwrap();
        sg.connections()
            .allow_from(
                &Peer::ipv4("203.0.113.0/24"),
                Port::tcp(3389),
                "RDP from the office",
            )
            .unwrap();
        let asm = synth_and_lint(&app, "ec2-sg-ssh");
        let w: Vec<_> = asm.warnings.with_code(codes::ADMIN_PORT_OPEN).collect();
        assert_eq!(
            w.len(),
            1,
            "only the rule open to everyone: {}",
            asm.warnings
        );
        assert_eq!(w[0].path, "Web/Bastion");
        assert_eq!(w[0].property.as_deref(), Some("SecurityGroupIngress"));
        assert_eq!(
            w[0].message,
            "TCP 22 is open to 0.0.0.0/0: remote administration reachable from the whole internet"
        );
    }

    #[test]
    fn default_description_drops_characters_ec2_refuses() {
        assert_eq!(default_description("Web/Tasks"), "Web/Tasks");
        assert_eq!(default_description("Web/Tâches"), "Web/T-ches");
        assert_eq!(default_description(&"a".repeat(300)).len(), 255);
    }
}
