//! The one place that runs docker: checks it is there and running, builds
//! for a platform with `--provenance=false`, logs in to ECR, and pushes
//! (logging in again when the registry says the login expired).
//!
//! The program is `docker` on the `PATH`, or `FORMWORK_DOCKER` when set.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use formwork_core::asset::{Asset, codes};

use crate::error::{Error, Result};

/// How to run docker.
#[derive(Clone, Debug)]
pub struct Docker {
    /// The program.
    pub program: PathBuf,
}

impl Default for Docker {
    fn default() -> Self {
        Docker::new()
    }
}

fn text(out: &std::process::Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    s
}

impl Docker {
    /// `FORMWORK_DOCKER`, else `docker`.
    pub fn new() -> Docker {
        Docker {
            program: std::env::var_os("FORMWORK_DOCKER")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("docker")),
        }
    }

    fn cmd(&self) -> Command {
        Command::new(&self.program)
    }

    /// Checks docker is installed and its daemon answers, before `path`
    /// (the construct path of the first image to build) is built.
    pub fn check(&self, path: &str) -> Result<()> {
        let out = self
            .cmd()
            .args(["version", "--format", "{{.Server.Version}}"])
            .output()
            .map_err(|e| {
                Error::failed(format!(
                    "[{}] {path}: docker is not installed (`{}`: {e}); the image of {path} is built with it: install Docker (https://docs.docker.com/get-docker/) or set FORMWORK_DOCKER to its path\nnothing was published or deployed",
                    codes::DOCKER_MISSING,
                    self.program.display()
                ))
            })?;
        if !out.status.success() {
            let t = text(&out);
            let daemon = t.contains("Cannot connect")
                || t.contains("daemon")
                || t.contains("pipe")
                || t.contains("docker.sock");
            let why = if daemon {
                "the Docker daemon is not running: start Docker Desktop (or `sudo systemctl start docker`)"
            } else {
                "docker does not answer"
            };
            return Err(Error::failed(format!(
                "[{}] {path}: {why}; the image of {path} is built with it\n    {}\nnothing was published or deployed",
                codes::DOCKER_DAEMON,
                t.trim()
            )));
        }
        Ok(())
    }

    /// The `docker build` arguments for an image asset, tagged `tag`.
    pub fn build_args(asset: &Asset, tag: &str) -> Vec<String> {
        let mut a = vec!["build".to_owned()];
        if let Some(p) = asset.platform {
            a.extend(["--platform".into(), p.as_str().into()]);
        }
        a.push("--provenance=false".into());
        a.extend(["--tag".into(), tag.into()]);
        let docker = asset.docker.clone().unwrap_or_default();
        if let Some(f) = &docker.file {
            a.extend([
                "--file".into(),
                asset.source_dir.join(f).to_string_lossy().into_owned(),
            ]);
        }
        for (k, v) in &docker.build_args {
            a.extend(["--build-arg".into(), format!("{k}={v}")]);
        }
        if let Some(t) = &docker.target {
            a.extend(["--target".into(), t.clone()]);
        }
        a.push(asset.source_dir.to_string_lossy().into_owned());
        a
    }

    /// Builds an image asset as `tag`.
    pub fn build(&self, asset: &Asset, tag: &str) -> Result<()> {
        let out = self
            .cmd()
            .args(Docker::build_args(asset, tag))
            .output()
            .map_err(|e| Error::failed(format!("{}: cannot run docker: {e}", asset.path)))?;
        if !out.status.success() {
            let t = text(&out);
            let lines: Vec<&str> = t.lines().collect();
            return Err(Error::failed(format!(
                "[{}] {}: docker build of {} failed:\n    {}\nnothing was published or deployed",
                codes::DOCKER_BUILD,
                asset.path,
                asset.source,
                lines[lines.len().saturating_sub(40)..].join("\n    ")
            )));
        }
        Ok(())
    }

    /// `docker login` to `registry` with a password from ECR.
    pub fn login(&self, registry: &str, password: &str) -> Result<()> {
        let mut child = self
            .cmd()
            .args(["login", "--username", "AWS", "--password-stdin", registry])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::failed(format!("cannot run docker login: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(password.trim().as_bytes());
        }
        let out = child
            .wait_with_output()
            .map_err(|e| Error::failed(format!("docker login: {e}")))?;
        if !out.status.success() {
            return Err(Error::failed(format!(
                "docker login to {registry} failed: {}",
                text(&out).trim()
            )));
        }
        Ok(())
    }

    /// `docker tag` then `docker push` of the image of `path`; `login` is
    /// called first, and again once when the registry answers that the
    /// login is missing or expired.
    pub fn push(
        &self,
        path: &str,
        local: &str,
        remote: &str,
        login: &dyn Fn() -> Result<()>,
    ) -> Result<()> {
        let out = self
            .cmd()
            .args(["tag", local, remote])
            .output()
            .map_err(|e| Error::failed(format!("cannot run docker tag: {e}")))?;
        if !out.status.success() {
            return Err(Error::failed(format!(
                "docker tag failed: {}",
                text(&out).trim()
            )));
        }
        login()?;
        for attempt in 0..2 {
            let out = self
                .cmd()
                .args(["push", remote])
                .output()
                .map_err(|e| Error::failed(format!("cannot run docker push: {e}")))?;
            if out.status.success() {
                return Ok(());
            }
            let t = text(&out);
            let expired = [
                "no basic auth credentials",
                "expired",
                "authorization token",
                "denied: Your authorization",
            ]
            .iter()
            .any(|m| t.contains(m));
            if expired && attempt == 0 {
                login()?;
                continue;
            }
            let (code, why) = if expired {
                (
                    codes::REGISTRY_LOGIN,
                    "the registry refused the push, also after logging in again; check that the credentials may push to the repository (ecr:InitiateLayerUpload, ecr:PutImage)",
                )
            } else {
                (codes::DOCKER_PUSH, "docker push failed")
            };
            return Err(Error::failed(format!(
                "[{code}] {path}: {why}: docker push {remote}\n    {}\nthe stacks that run it were not deployed",
                t.trim()
            )));
        }
        Ok(())
    }
}

/// The registry host of an image URI (`<account>.dkr.ecr.<region>.amazonaws.com`).
pub fn registry_of(uri: &str) -> &str {
    uri.split('/').next().unwrap_or(uri)
}

/// The local tag of an image asset before it is pushed.
pub fn local_tag(asset: &Asset) -> String {
    format!("formwork-asset:{}", asset.hash)
}

/// Whether a path is a file (for a clear error before docker runs).
pub fn has_dockerfile(asset: &Asset) -> bool {
    let f = asset
        .docker
        .as_ref()
        .and_then(|d| d.file.clone())
        .unwrap_or_else(|| "Dockerfile".into());
    Path::new(&asset.source_dir).join(f).is_file()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A stand-in docker: `body` is a shell `case "$1"` body; every call is
    /// appended to `calls.log` beside it.
    fn stand_in(dir: &Path, body: &str) -> Docker {
        let program = dir.join("docker");
        let log = dir.join("calls.log");
        formwork_test_support::write_executable(
            &program,
            &format!(
                "#!/bin/sh\necho \"$*\" >> '{}'\ncase \"$1\" in\n{body}\nesac\nexit 0\n",
                log.display()
            ),
        );
        Docker { program }
    }

    fn calls(dir: &Path) -> Vec<String> {
        std::fs::read_to_string(dir.join("calls.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn docker_missing_is_fw0720_with_the_construct_path() {
        let d = Docker {
            program: PathBuf::from("/nonexistent/bin/docker"),
        };
        let e = d.check("Images/Api").unwrap_err().to_string();
        assert!(
            e.starts_with("[FW0720] Images/Api: docker is not installed")
                && e.contains("FORMWORK_DOCKER")
                && e.contains("nothing was published or deployed"),
            "{e}"
        );
    }

    #[test]
    fn a_daemon_that_does_not_answer_is_fw0721() {
        let dir = formwork_test_support::scratch_dir("docker-daemon");
        let d = stand_in(
            dir.path(),
            "  version) echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; exit 1;;",
        );
        let e = d.check("Images/Api").unwrap_err().to_string();
        assert!(
            e.starts_with("[FW0721] Images/Api: the Docker daemon is not running")
                && e.contains("Is the docker daemon running?"),
            "{e}"
        );
        let ok = stand_in(dir.path(), "  version) echo 27.3.1;;");
        assert!(ok.check("Images/Api").is_ok());
    }

    /// The registry refuses the first push as real docker reports an
    /// expired ECR login: the publisher logs in again, once, and pushes
    /// again.
    #[test]
    fn an_expired_login_is_renewed_once_then_the_push_is_retried() {
        for message in [
            "denied: Your authorization token has expired. Reauthenticate and try again.",
            "no basic auth credentials",
        ] {
            let dir = formwork_test_support::scratch_dir("docker-expired");
            let marker = dir.join("pushed-once");
            let d = stand_in(
                dir.path(),
                &format!(
                    "  push) if [ ! -e '{m}' ]; then touch '{m}'; echo 'The push refers to repository [{r}]' ; echo '{message}' >&2; exit 1; fi; echo \"$2: digest: sha256:abcd size: 1234\";;",
                    m = marker.display(),
                    r = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/formwork-assets"
                ),
            );
            let logins = Cell::new(0);
            let login = || {
                logins.set(logins.get() + 1);
                Ok(())
            };
            let remote = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/formwork-assets:abc";
            d.push("Images/Api", "formwork-asset:abc", remote, &login)
                .expect("pushed after logging in again");
            assert_eq!(logins.get(), 2, "{message}");
            let pushes: Vec<String> = calls(dir.path())
                .into_iter()
                .filter(|c| c.starts_with("push "))
                .collect();
            assert_eq!(pushes, [format!("push {remote}"), format!("push {remote}")]);
        }
    }

    #[test]
    fn a_push_refused_after_logging_in_again_is_fw0723() {
        let dir = formwork_test_support::scratch_dir("docker-refused");
        let d = stand_in(
            dir.path(),
            "  push) echo 'denied: Your authorization token has expired. Reauthenticate and try again.' >&2; exit 1;;",
        );
        let logins = Cell::new(0);
        let login = || {
            logins.set(logins.get() + 1);
            Ok(())
        };
        let e = d
            .push("Images/Api", "formwork-asset:abc", "r/x:abc", &login)
            .unwrap_err()
            .to_string();
        assert_eq!(logins.get(), 2, "logged in again once, not more");
        assert!(
            e.starts_with("[FW0723] Images/Api: the registry refused the push")
                && e.contains("not deployed"),
            "{e}"
        );
        let other = stand_in(dir.path(), "  push) echo 'unknown blob' >&2; exit 1;;");
        let e = other
            .push("Images/Api", "formwork-asset:abc", "r/x:abc", &login)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("[FW0724] Images/Api: docker push failed"),
            "{e}"
        );
    }
}
