//! Diagnostics: what synth reports about a construct.
//!
//! A diagnostic has a stable code, a severity, the construct path, the
//! property path, a message saying what was expected and what was found, and
//! a suggested fix where one exists. The codes are listed in `docs/diagnostics.md`.

use std::fmt;

mod render;
mod suggest;

pub use render::{color_wanted, render, summary};
pub use suggest::{closest, edit_distance};

/// Where in the user's code something was made: a file, line and column.
///
/// Constructs record it when they are created (through `#[track_caller]`),
/// so a diagnostic can point at the line of `main.rs` that made the
/// construct; configuration errors point into `formwork.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceLocation {
    /// The file, as the compiler or the loader names it (`src/main.rs`).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl SourceLocation {
    /// A location in a file.
    pub fn new(file: impl Into<String>, line: u32, column: u32) -> SourceLocation {
        SourceLocation {
            file: file.into(),
            line,
            column,
        }
    }
}

impl From<&std::panic::Location<'_>> for SourceLocation {
    fn from(l: &std::panic::Location<'_>) -> SourceLocation {
        SourceLocation::new(l.file(), l.line(), l.column())
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Synth fails and writes nothing.
    Error,
    /// Synth goes on and prints it.
    Warning,
}

/// One finding about a construct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// A stable id (`FW0201`).
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The construct path (`ChatProxy/ConfigBucket`).
    pub path: String,
    /// The property path below the construct (`LifecycleConfiguration.Rules[0]`).
    pub property: Option<String>,
    /// What is wrong: what was expected and what was found.
    pub message: String,
    /// A suggested fix.
    pub fix: Option<String>,
    /// Where the construct was made in the user's code (filled at synth
    /// from the construct's recorded location), or the place in a
    /// configuration file.
    pub location: Option<SourceLocation>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            path: path.into(),
            property: None,
            message: message.into(),
            fix: None,
            location: None,
        }
    }

    /// A warning.
    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, path, message)
        }
    }

    /// Names the property the diagnostic is about.
    pub fn property(mut self, property: impl Into<String>) -> Self {
        self.property = Some(property.into());
        self
    }

    /// Adds a suggested fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Sets where the problem was made.
    pub fn at(mut self, location: impl Into<SourceLocation>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}] {}", self.code, self.path)?;
        if let Some(p) = &self.property {
            write!(f, " {p}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n    help: {fix}")?;
        }
        Ok(())
    }
}

/// A list of diagnostics, errors first, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics with a code.
    pub fn with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.0.iter().filter(move |d| d.code == code)
    }

    /// The number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorts errors before warnings, keeping the order within each.
    pub fn sort(&mut self) {
        self.0.sort_by_key(|d| d.severity);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The diagnostic codes of the engine. Construct libraries use their own range.
pub mod codes {
    /// A required property is missing.
    pub const REQUIRED: &str = "FW0101";
    /// A value has the wrong kind (a list where a string belongs).
    pub const KIND: &str = "FW0102";
    /// A string is not one of the allowed values.
    pub const ENUM: &str = "FW0103";
    /// A string does not match the schema pattern.
    pub const PATTERN: &str = "FW0104";
    /// A string is too short or too long.
    pub const LENGTH: &str = "FW0105";
    /// A number is out of range.
    pub const RANGE: &str = "FW0106";
    /// A list has too few or too many items.
    pub const ITEMS: &str = "FW0107";
    /// A property the schema does not define.
    pub const UNKNOWN_PROPERTY: &str = "FW0108";
    /// Not exactly one of a set of mutually exclusive properties.
    pub const ONE_OF: &str = "FW0109";
    /// The resource type does not exist in the stack's region.
    pub const REGION: &str = "FW0110";
    /// A `Ref`, `Fn::GetAtt`, condition or mapping that points at nothing.
    pub const DANGLING: &str = "FW0201";
    /// An attribute the resource type does not have.
    pub const ATTRIBUTE: &str = "FW0202";
    /// Two stacks reference each other.
    pub const CYCLE: &str = "FW0203";
    /// A reference between stacks in different environments.
    pub const CROSS_ENV: &str = "FW0204";
    /// A reference to a stack of another app.
    pub const FOREIGN_STACK: &str = "FW0205";
    /// Two things share a logical id.
    pub const LOGICAL_ID_COLLISION: &str = "FW0301";
    /// A logical id CloudFormation refuses.
    pub const LOGICAL_ID: &str = "FW0302";
    /// Too many resources, parameters, outputs or mappings.
    pub const LIMIT: &str = "FW0401";
    /// The template is over 1 MB.
    pub const TEMPLATE_SIZE: &str = "FW0402";
    /// The template is over 51,200 bytes: it must be uploaded to S3 to deploy.
    pub const TEMPLATE_NEEDS_S3: &str = "FW0403";
    /// Stack tags could not be merged into a resource's tags.
    pub const TAGS: &str = "FW0501";
    /// A parameter definition CloudFormation refuses.
    pub const PARAMETER: &str = "FW0502";
    /// A string not of the schema's `format` (CIDR block, ARN, date, URI, ...).
    pub const FORMAT: &str = "FW0111";
    /// A number that is not finite (NaN, infinity): JSON cannot hold it.
    pub const NON_FINITE: &str = "FW0112";
    /// A dynamic reference (`{{resolve:...}}`) CloudFormation cannot resolve.
    pub const DYNAMIC_REFERENCE: &str = "FW0113";
    /// A property override whose path cannot be applied.
    pub const OVERRIDE: &str = "FW0114";
    /// A value the service refuses although its schema allows it (an
    /// alarm period of 45 s, a schedule expression that is not `rate` or
    /// `cron`); see `synth::facts`.
    pub const SERVICE_RULE: &str = "FW0115";
    /// Resources of one stack that depend on each other in a cycle.
    pub const RESOURCE_CYCLE: &str = "FW0206";
    /// `Fn::Select` past the end of its list (or of the region's zones).
    pub const SELECT_RANGE: &str = "FW0207";
    /// A region name AWS does not have.
    pub const UNKNOWN_REGION: &str = "FW0208";
    /// A stack without resources.
    pub const EMPTY_STACK: &str = "FW0404";
    /// A template description over 1,024 bytes.
    pub const DESCRIPTION: &str = "FW0405";
    /// Tags CloudFormation or the service refuses (count, length, `aws:` prefix).
    pub const TAG_LIMITS: &str = "FW0503";
    /// An export name used twice, or one CloudFormation refuses.
    pub const EXPORT_NAME: &str = "FW0504";
    /// An output, mapping or parameter field CloudFormation refuses.
    pub const TEMPLATE_PART: &str = "FW0505";
    /// A value appended to a template `Metadata` entry that holds
    /// something other than a list.
    pub const METADATA_APPEND: &str = "FW0506";
    /// A suppression that matched no finding.
    pub const UNUSED_SUPPRESSION: &str = "FW0801";
    /// A `-c` key that the app neither reads nor declares.
    pub const UNKNOWN_CONTEXT_KEY: &str = "FW0601";
    /// A configuration file that cannot be read or parsed.
    pub const CONFIG_FILE: &str = "FW0602";
    /// A configuration field the schema does not define.
    pub const CONFIG_UNKNOWN_FIELD: &str = "FW0603";
    /// A configuration value the schema refuses.
    pub const CONFIG_VALUE: &str = "FW0604";
    /// A required configuration field that has no value.
    pub const CONFIG_REQUIRED: &str = "FW0605";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_path_property_and_fix() {
        let d = Diagnostic::error(codes::RANGE, "App/Fn", "1 is below the minimum 128")
            .property("MemorySize")
            .fix("use 128 to 10240");
        assert_eq!(
            d.to_string(),
            "error[FW0106] App/Fn MemorySize: 1 is below the minimum 128\n    help: use 128 to 10240"
        );
    }

    #[test]
    fn errors_sort_first() {
        let mut ds = Diagnostics(vec![
            Diagnostic::warning("W", "a", "w"),
            Diagnostic::error("E", "b", "e"),
        ]);
        ds.sort();
        assert_eq!(ds.0[0].code, "E");
        assert_eq!(ds.error_count(), 1);
        assert!(ds.has_errors());
    }
}
