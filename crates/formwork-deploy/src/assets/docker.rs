//! The one place that runs docker: checks it is there and running, builds
//! for a platform with `--provenance=false`, logs in to ECR, and pushes
//! (logging in again when the registry says the login expired).
//!
//! The program is `docker` on the `PATH`, or `FORMWORK_DOCKER` when set.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use formwork_core::asset::Asset;

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

    /// Checks docker is installed and its daemon answers.
    pub fn check(&self) -> Result<()> {
        let out = self
            .cmd()
            .args(["version", "--format", "{{.Server.Version}}"])
            .output()
            .map_err(|e| {
                Error::failed(format!(
                    "docker is not installed (`{}`: {e}): the app has container images to build; install Docker (or set FORMWORK_DOCKER)",
                    self.program.display()
                ))
            })?;
        if !out.status.success() {
            let t = text(&out);
            let why = if t.contains("Cannot connect") || t.contains("daemon") || t.contains("pipe")
            {
                "the Docker daemon is not running: start Docker Desktop (or `sudo systemctl start docker`)"
            } else {
                "docker does not answer"
            };
            return Err(Error::failed(format!("{why}\n    {}", t.trim())));
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
                "{}: docker build of {} failed:\n    {}\nnothing was published or deployed",
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

    /// `docker tag` then `docker push`; `login` is called first, and again
    /// once when the registry answers that the login is missing or expired.
    pub fn push(&self, local: &str, remote: &str, login: &dyn Fn() -> Result<()>) -> Result<()> {
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
            return Err(Error::failed(format!(
                "docker push {remote} failed: {}",
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
