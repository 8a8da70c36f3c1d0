//! AccessPoint: an application's entry into an EFS file system, with its
//! root directory and the POSIX identity it acts as.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Expr, Resource, Result, Scope, Value};
use formwork_l1::efs::{CfnAccessPoint, CfnAccessPointRef, access_point};

use super::codes;
use super::file_system::FileSystem;

/// Characters EFS refuses in a root directory path component.
const PATH_REFUSED: &str = "$#<>;`|&?{}^*\n";

/// What an [`AccessPoint`] is made with: the directory clients see as the
/// root (the file system root by default), the POSIX user every request
/// acts as (the client's own by default), and how EFS creates the
/// directory when it does not exist yet (without creation info, mounting a
/// directory that does not exist fails).
///
/// Checked at synth: the path (`FW3308`: `/`, or 1 to 4 components of at
/// most 100 characters in all, none starting with `.`, none with
/// `` $#<>;`|&?{}^* ``) and the permissions (`FW3307`: 3 or 4 octal digits).
///
/// ```
/// use formwork::efs::AccessPointProps;
/// let props = AccessPointProps::new()
///     .path("/app/cache")
///     .posix_user(1000, 1000)
///     .secondary_gids([2000])
///     .creation_info(1000, 1000, "0750");
/// # let _ = props;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessPointProps {
    path: Option<Str>,
    posix_user: Option<(u32, u32)>,
    secondary_gids: Vec<u32>,
    creation_info: Option<(u32, u32, String)>,
}

impl AccessPointProps {
    /// An access point at the file system root, acting as each client's
    /// own user.
    pub fn new() -> Self {
        AccessPointProps::default()
    }

    /// The directory clients see as the root (`/app/cache`).
    pub fn path(mut self, path: impl Into<Str>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The user and group id every request through the access point acts as.
    pub fn posix_user(mut self, uid: u32, gid: u32) -> Self {
        self.posix_user = Some((uid, gid));
        self
    }

    /// Secondary group ids of the POSIX user (up to 16).
    pub fn secondary_gids(mut self, gids: impl IntoIterator<Item = u32>) -> Self {
        self.secondary_gids.extend(gids);
        self
    }

    /// Owner and permissions (`"755"`, `"0750"`: 3 or 4 octal digits) EFS
    /// gives the root directory when it creates it.
    pub fn creation_info(
        mut self,
        owner_uid: u32,
        owner_gid: u32,
        permissions: impl Into<String>,
    ) -> Self {
        self.creation_info = Some((owner_uid, owner_gid, permissions.into()));
        self
    }
}

/// What is wrong with a root directory path, if anything.
fn path_problem(path: &str) -> Option<String> {
    if path == "/" {
        return None;
    }
    if path.chars().count() > 100 {
        return Some(format!(
            "the path is {} characters long; allowed: up to 100",
            path.chars().count()
        ));
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Some(format!("the path `{path}` does not start with `/`"));
    };
    let parts: Vec<&str> = rest.split('/').collect();
    if parts.len() > 4 {
        return Some(format!(
            "the path `{path}` has {} components; allowed: up to 4",
            parts.len()
        ));
    }
    for p in parts {
        if p.is_empty() {
            return Some(format!(
                "the path `{path}` has an empty component (a `//` or a trailing `/`)"
            ));
        }
        if p.starts_with('.') {
            return Some(format!("the path component `{p}` starts with `.`"));
        }
        let bad: String = p.chars().filter(|c| PATH_REFUSED.contains(*c)).collect();
        if !bad.is_empty() {
            return Some(format!(
                "the path component `{p}` has characters EFS refuses ({bad:?})"
            ));
        }
    }
    None
}

fn permissions_ok(p: &str) -> bool {
    (3..=4).contains(&p.len()) && p.chars().all(|c| ('0'..='7').contains(&c))
}

/// Marks the value at `key` of a map value as not to be validated again.
fn mark_unchecked(map: &mut Value, key: &str) {
    if let Some(v) = map.as_map_mut().and_then(|m| m.get_mut(key)) {
        *v = std::mem::take(v).unchecked();
    }
}

/// An EFS access point: an application's view of a file system, rooted at
/// a directory and acting as a fixed POSIX user. Made with
/// [`FileSystem::add_access_point`] or [`AccessPoint::new`].
#[derive(Clone, Debug)]
pub struct AccessPoint {
    cfn: CfnAccessPointRef,
    scope: Scope,
}

impl AccessPoint {
    /// Adds an access point of `file_system` at `scope/id`.
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::ec2::{Vpc, VpcProps};
    /// use formwork::efs::{AccessPoint, AccessPointProps, FileSystem, FileSystemProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo")?;
    /// let vpc = Vpc::new(&stack, "Vpc", VpcProps::new())?;
    /// let fs = FileSystem::new(&stack, "Files", FileSystemProps::new(&vpc))?;
    /// let ap = AccessPoint::new(&stack, "Uploads", &fs, AccessPointProps::new().path("/uploads"))?;
    /// # let _ = ap.arn();
    /// # Ok::<(), formwork::Error>(())
    /// ```
    #[track_caller]
    pub fn new(
        scope: &Scope,
        id: &str,
        file_system: &FileSystem,
        props: AccessPointProps,
    ) -> Result<AccessPoint> {
        let node = scope.child(id)?;
        let mut cfn = CfnAccessPoint::new().file_system_id(file_system.file_system_id());
        if let Some((uid, gid)) = props.posix_user {
            let mut user = access_point::PosixUser::new()
                .uid(uid.to_string())
                .gid(gid.to_string());
            if !props.secondary_gids.is_empty() {
                user = user.secondary_gids(
                    props
                        .secondary_gids
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>(),
                );
            }
            cfn = cfn.posix_user(user);
        }
        let mut bad_path = false;
        let mut bad_permissions = false;
        let mut root = access_point::RootDirectory::new();
        let mut has_root = false;
        if let Some(path) = &props.path {
            if let Some(text) = Value::from(path.clone()).as_str() {
                if let Some(msg) = path_problem(text) {
                    node.report(
                        Diagnostic::error(codes::ACCESS_POINT_PATH, node.path(), msg)
                            .property("RootDirectory.Path")
                            .fix(
                                "write an absolute path of 1 to 4 directories, such as /app/cache",
                            ),
                    );
                    bad_path = true;
                }
            }
            root = root.path(path.clone());
            has_root = true;
        }
        if let Some((uid, gid, perms)) = &props.creation_info {
            if !permissions_ok(perms) {
                node.report(
                    Diagnostic::error(
                        codes::PERMISSIONS,
                        node.path(),
                        format!("the permissions `{perms}` are not a POSIX mode; allowed: 3 or 4 octal digits (0 to 7)"),
                    )
                    .property("RootDirectory.CreationInfo.Permissions")
                    .fix("write the mode in octal, such as \"755\" or \"0750\""),
                );
                bad_permissions = true;
            }
            root = root.creation_info(
                access_point::CreationInfo::new()
                    .owner_uid(uid.to_string())
                    .owner_gid(gid.to_string())
                    .permissions(perms.as_str()),
            );
            has_root = true;
        }
        if has_root {
            // A value already reported is not reported a second time by the
            // schema check.
            let mut value = Value::from(root);
            if bad_path {
                mark_unchecked(&mut value, "Path");
            }
            if bad_permissions {
                if let Some(info) = value.as_map_mut().and_then(|m| m.get_mut("CreationInfo")) {
                    mark_unchecked(info, "Permissions");
                }
            }
            cfn.props_mut().set_by_name(
                <CfnAccessPoint as Resource>::SPEC.object,
                "RootDirectory",
                value,
            );
        }
        let cfn = node.add_here(cfn)?;
        Ok(AccessPoint { cfn, scope: node })
    }

    /// The L1 resource, for what this construct does not model.
    pub fn cfn(&self) -> &CfnAccessPointRef {
        &self.cfn
    }

    /// The construct's scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// `Fn::GetAtt AccessPointId` (`fsap-…`), what an ECS volume's
    /// authorization config names.
    pub fn access_point_id(&self) -> Expr {
        self.cfn.access_point_id()
    }

    /// `Fn::GetAtt Arn`, what a Lambda file system configuration names.
    pub fn arn(&self) -> Expr {
        self.cfn.arn()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_efs_rules() {
        assert_eq!(path_problem("/"), None);
        assert_eq!(path_problem("/a/b/c/d"), None);
        assert_eq!(
            path_problem("a"),
            Some("the path `a` does not start with `/`".to_owned())
        );
        assert_eq!(
            path_problem("/a/b/c/d/e"),
            Some("the path `/a/b/c/d/e` has 5 components; allowed: up to 4".to_owned())
        );
        assert!(path_problem("/a//b").is_some_and(|m| m.contains("empty component")));
        assert!(path_problem("/a/").is_some_and(|m| m.contains("empty component")));
        assert_eq!(
            path_problem("/.hidden"),
            Some("the path component `.hidden` starts with `.`".to_owned())
        );
        assert!(path_problem("/a$b").is_some_and(|m| m.contains("characters EFS refuses")));
        assert!(
            path_problem(&format!("/{}", "a".repeat(100))).is_some_and(|m| m.contains("up to 100"))
        );
    }

    #[test]
    fn permissions_are_octal() {
        for ok in ["755", "0750", "000", "7777"] {
            assert!(permissions_ok(ok), "{ok}");
        }
        for bad in ["75", "75500", "789", "rwx", ""] {
            assert!(!permissions_ok(bad), "{bad}");
        }
    }
}
