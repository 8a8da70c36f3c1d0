use super::*;
use crate::diag::render;
use schemars::JsonSchema;
use serde::Deserialize;

/// Settings of a test app.
#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The environment name.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9-]*$"))]
    env: String,
    /// Bucket name suffix.
    suffix: Option<String>,
    /// Memory in MB.
    #[serde(default = "memory")]
    #[schemars(range(min = 128, max = 10240))]
    memory_mb: u32,
    /// Log level.
    #[serde(default)]
    level: Level,
    /// Nested settings.
    #[serde(default)]
    alarms: Alarms,
}

fn memory() -> u32 {
    512
}

#[derive(Debug, Default, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Level {
    #[default]
    Info,
    Debug,
}

#[derive(Debug, Default, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
struct Alarms {
    #[serde(default)]
    enabled: bool,
}

struct Dir(std::path::PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir_with(name: &str, text: &str) -> Dir {
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../target/formwork-tests/config-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).expect("scratch dir");
    std::fs::write(d.join(name), text).expect("write config");
    Dir(d)
}

fn ctx_in(d: &Dir) -> Context {
    Context::new().with_env("CARGO_MANIFEST_DIR", d.0.to_string_lossy())
}

fn errors<T: std::fmt::Debug>(r: Result<Loaded<T>>) -> Vec<Diagnostic> {
    match r {
        Err(Error::Invalid(d)) => d.0,
        other => panic!("expected errors, got {other:?}"),
    }
}

const FILE: &str = "suffix = \"base\"\nmemory_mb = 256\n\n[env.prod]\nmemory_mb = 2048\nlevel = \"debug\"\n\n[env.prod.alarms]\nenabled = true\n";

#[test]
fn defaults_without_a_file() {
    let l = Config::new().load::<Settings>(&Context::new()).unwrap();
    assert_eq!(l.env, "dev");
    assert_eq!(l.file, None);
    assert_eq!(
        l.settings,
        Settings {
            env: "dev".into(),
            suffix: None,
            memory_mb: 512,
            level: Level::Info,
            alarms: Alarms::default(),
        }
    );
}

#[test]
fn file_then_section_then_flags() {
    let d = dir_with("formwork.toml", FILE);
    let dev = Config::new().load::<Settings>(&ctx_in(&d)).unwrap();
    assert_eq!(dev.settings.memory_mb, 256);
    assert_eq!(dev.settings.suffix.as_deref(), Some("base"));
    assert!(dev.file.is_some());
    let ctx = ctx_in(&d)
        .with_value("env", "prod")
        .with_value("suffix", "x1")
        .with_value("alarms.enabled", "false");
    let prod = Config::new().load::<Settings>(&ctx).unwrap();
    assert_eq!(prod.env, "prod");
    assert_eq!(prod.settings.memory_mb, 2048);
    assert_eq!(prod.settings.level, Level::Debug);
    assert_eq!(prod.settings.suffix.as_deref(), Some("x1"));
    assert!(!prod.settings.alarms.enabled);
    assert!(ctx.check_keys().is_ok(), "config keys are declared");
}

#[test]
fn the_environment_comes_from_a_variable_or_the_default() {
    let c = Config::new().env_var("APP_ENV").default_env("prod");
    let l = c
        .load::<Settings>(&Context::new().with_env("APP_ENV", "staging"))
        .unwrap();
    assert_eq!(l.env, "staging");
    assert_eq!(c.load::<Settings>(&Context::new()).unwrap().env, "prod");
}

#[test]
fn errors_name_the_file_line_field_and_allowed_values() {
    let d = dir_with(
        "formwork.toml",
        "memory_mb = 64\nlevle = \"debug\"\n\n[env.prod]\nlevel = \"verbose\"\n",
    );
    let ds = errors(Config::new().load::<Settings>(&ctx_in(&d)));
    let text = render(&ds, false);
    let lines: Vec<(String, Option<String>, Option<u32>)> = ds
        .iter()
        .map(|d| {
            (
                d.code.to_owned(),
                d.property.clone(),
                d.location.as_ref().map(|l| l.line),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                codes::CONFIG_VALUE.into(),
                Some("memory_mb".into()),
                Some(1)
            ),
            (
                codes::CONFIG_UNKNOWN_FIELD.into(),
                Some("levle".into()),
                Some(2)
            ),
            (
                codes::CONFIG_VALUE.into(),
                Some("env.prod.level".into()),
                Some(5)
            ),
        ],
        "{text}"
    );
    assert!(
        text.contains("64 is below the minimum 128; allowed: 128 to 10240"),
        "{text}"
    );
    assert!(text.contains("help: did you mean `level`?"), "{text}");
    assert!(
        text.contains("\"verbose\" is not allowed; allowed: \"info\", \"debug\""),
        "{text}"
    );
    assert!(text.contains("formwork.toml:2:1"), "{text}");
}

#[test]
fn flags_are_checked_and_named() {
    let ctx = Context::new()
        .with_value("env", "Prod!")
        .with_value("memory_mb", "lots");
    let ds = errors(Config::new().load::<Settings>(&ctx));
    let at: Vec<&str> = ds.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(at, ["-c env", "-c memory_mb"]);
    assert!(ds[0].message.contains("does not match the pattern"));
    assert!(
        ds[1]
            .message
            .contains("expected an integer, found a string \"lots\"")
    );
    // A key the settings do not have is left to the context check.
    let ctx = Context::new().with_value("sufix", "a");
    Config::new().load::<Settings>(&ctx).unwrap();
    let unknown = ctx.unknown_keys();
    assert_eq!(unknown[0].fix.as_deref(), Some("did you mean `suffix`?"));
}

#[test]
fn json_files_and_broken_files() {
    let d = dir_with("formwork.json", "{\n  \"suffix\": 3\n}\n");
    let ds = errors(Config::new().load::<Settings>(&ctx_in(&d)));
    assert_eq!(ds[0].path, "formwork.json");
    assert_eq!(ds[0].location.as_ref().map(|l| l.line), Some(2));
    let d = dir_with("formwork.toml", "suffix = \n");
    let ds = errors(Config::new().load::<Settings>(&ctx_in(&d)));
    assert_eq!(ds[0].code, codes::CONFIG_FILE);
    let d = dir_with("formwork.toml", "env = 3\n");
    let ds = errors(Config::new().load::<Settings>(&ctx_in(&d)));
    assert!(
        ds[0].message.contains("one table per environment"),
        "{:?}",
        ds[0]
    );
}

#[test]
fn required_fields_say_how_to_set_them() {
    #[derive(Debug, Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Needs {
        account: String,
    }
    let Err(Error::Invalid(ds)) = Config::new().load::<Needs>(&Context::new()) else {
        panic!("account is required")
    };
    assert_eq!(ds.0[0].code, codes::CONFIG_REQUIRED);
    assert_eq!(
        ds.0[0].fix.as_deref(),
        Some("set `account` in formwork.toml, or pass `-c account=VALUE`")
    );
}

#[test]
fn the_printed_schema_describes_the_file() {
    let s: Json = serde_json::from_str(&schema::<Settings>()).unwrap();
    assert_eq!(s["additionalProperties"], false);
    assert!(s["properties"].get("env").is_some());
    assert!(s["properties"]["memory_mb"]["maximum"] == 10240);
    assert_eq!(
        s["properties"]["env"]["additionalProperties"]["$ref"],
        "#/$defs/EnvironmentSettings"
    );
    assert!(s["$defs"]["EnvironmentSettings"]["properties"]["suffix"].is_object());
    assert!(
        s["$defs"]["EnvironmentSettings"]["properties"]
            .get("env")
            .is_none()
    );
}

#[test]
fn the_context_learns_the_schema_even_when_the_file_is_bad() {
    let d = dir_with("formwork.toml", "memory_mb = 1\n");
    let ctx = ctx_in(&d);
    let text = ctx
        .config_schema_of(|c| {
            Config::new().load::<Settings>(c)?;
            Ok(crate::App::new())
        })
        .unwrap();
    assert_eq!(text, schema::<Settings>());
    let none = Context::new().config_schema_of(|_| Ok(crate::App::new()));
    assert!(
        none.unwrap_err()
            .to_string()
            .contains("no typed configuration")
    );
}

/// Settings whose pattern uses syntax formwork's matcher does not read.
#[derive(Debug, Deserialize, JsonSchema, PartialEq)]
struct Upper {
    #[schemars(regex(pattern = r"^\p{Lu}+$"))]
    code: String,
}

#[test]
fn a_pattern_formwork_cannot_read_is_an_error_not_a_pass() {
    let ctx = Context::new().with_value("code", "ABC");
    let ds = errors(Config::new().load::<Upper>(&ctx));
    assert_eq!(ds.len(), 1);
    assert!(
        ds[0]
            .message
            .contains("cannot be checked against the pattern"),
        "{}",
        ds[0].message
    );
}

#[test]
fn a_bad_value_gets_the_fields_description_as_help() {
    let d = dir_with("formwork.json", "{\n  \"suffix\": 3\n}\n");
    let ds = errors(Config::new().load::<Settings>(&ctx_in(&d)));
    assert_eq!(ds[0].fix.as_deref(), Some("`suffix`: Bucket name suffix."));
}
