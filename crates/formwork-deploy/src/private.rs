//! A temporary folder only this user can enter, for the `file://` inputs of
//! AWS CLI calls (secret values, templates, request bodies too long for a
//! command line); removed when dropped.

use std::path::{Path, PathBuf};

/// A folder only this user can enter, removed when dropped.
pub(crate) struct Private(PathBuf);

impl Private {
    /// A new folder in the system's temporary folder, named after `purpose`
    /// (`formwork-<purpose>-<process>-<nanos>`).
    pub(crate) fn new(purpose: &str) -> std::io::Result<Private> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir =
            std::env::temp_dir().join(format!("formwork-{purpose}-{}-{nanos}", std::process::id()));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(&dir)?;
        Ok(Private(dir))
    }

    /// Writes `content` into a new file readable by this user only.
    pub(crate) fn write(&self, name: &str, content: &str) -> std::io::Result<PathBuf> {
        use std::io::Write;
        let path = self.0.join(name);
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&path)?;
        f.write_all(content.as_bytes())?;
        Ok(path)
    }

    /// The folder.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_once_and_the_folder_goes_away() {
        let d = Private::new("private-test").unwrap();
        let f = d.write("v", "x").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "x");
        assert!(d.write("v", "y").is_err(), "never overwrites");
        let dir = d.path().to_path_buf();
        drop(d);
        assert!(!dir.exists());
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let d = Private::new("private-test").unwrap();
        let f = d.write("v", "x").unwrap();
        assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(
            d.path().metadata().unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}
