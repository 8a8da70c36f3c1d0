//! Synthesis: from an [`App`] to templates and a manifest.
//!
//! Steps: borrow every stack, build logical id tables, analyze references
//! (dangling ones, cross-stack exports, dependencies, cycles between stacks
//! and between the resources of a stack, order), apply property overrides,
//! validate every resource against its schema, every literal (numbers,
//! `Fn::Select`, regions, dynamic references) and the template against
//! CloudFormation's limits, render, run the app's rules and apply
//! suppressions, and check sizes. Every error is collected; synth fails with
//! all of them. One fault gives one error: a schema finding on a property a
//! construct already reported an error on is dropped.

pub(crate) mod asset_manifest;
pub mod checks;
mod cycles;
pub mod facts;
mod formats;
mod lazy;
mod literals;
mod overrides;
pub(crate) mod pretty;
mod refs;
mod render;
mod sink;
mod suppress;
mod tags;
mod template;
pub mod validate;
mod value_tree;
mod view;
mod words;

use crate::fasthash::FastMap;
use std::path::Path;

use serde_json::{Value as Json, json};

use crate::app::App;
use crate::diag::{Diagnostic, Diagnostics, Severity, codes};
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::rules::LazyTemplate;
use crate::value::Value;

use refs::analyze;
use render::Renderer;
use validate::Validator;
use view::StackView;

/// CloudFormation's quotas per template.
pub mod limits {
    /// Resources per template.
    pub const RESOURCES: usize = 500;
    /// Parameters per template.
    pub const PARAMETERS: usize = 200;
    /// Outputs per template.
    pub const OUTPUTS: usize = 200;
    /// Mappings per template.
    pub const MAPPINGS: usize = 200;
    /// Template size when uploaded through S3 (bytes).
    pub const TEMPLATE_BYTES: usize = 1_000_000;
    /// Template size when passed inline (`--template-body`), bytes.
    pub const INLINE_TEMPLATE_BYTES: usize = 51_200;
}

/// One synthesized stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackArtifact {
    /// The stack name.
    pub name: String,
    /// `<name>.template.json`.
    pub file_name: String,
    /// The template, pretty JSON with a trailing newline.
    pub template: String,
    /// Where it deploys.
    pub env: Environment,
    /// The stacks it must deploy after.
    pub dependencies: Vec<String>,
    /// The number of resources.
    pub resource_count: usize,
    /// Its parameters: name, type, and whether a default is set.
    pub parameters: Vec<(String, String, bool)>,
    /// The export names it declares for other stacks of the app.
    pub exports: Vec<String>,
    /// What the deploy tool needs beside the template, by section (see
    /// [`crate::Stack::add_deploy_input`]).
    pub deploy_inputs: indexmap::IndexMap<String, Vec<Json>>,
}

impl StackArtifact {
    /// True when the template is too big to pass inline and must go through S3.
    pub fn needs_s3_upload(&self) -> bool {
        self.template.len() > limits::INLINE_TEMPLATE_BYTES
    }
}

/// One asset of the app, with the stacks that use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetArtifact {
    /// The asset (the first construct that declared it).
    pub asset: crate::asset::Asset,
    /// The stacks that run it (a zip or an image is published before them).
    pub consumers: Vec<String>,
    /// The construct paths that declared it.
    pub used_by: Vec<String>,
}

/// The result of a synth: templates in deploy order, the manifest, warnings.
#[derive(Clone, Debug, PartialEq)]
pub struct Assembly {
    /// The stacks in deploy order.
    pub stacks: Vec<StackArtifact>,
    /// The assets, in the order of their stacks; one entry per distinct
    /// content and destination.
    pub assets: Vec<AssetArtifact>,
    /// Warnings (synth succeeded).
    pub warnings: Diagnostics,
    manifest: String,
}

impl Assembly {
    /// The template of a stack by name.
    pub fn template(&self, stack: &str) -> Option<&str> {
        self.stacks
            .iter()
            .find(|s| s.name == stack)
            .map(|s| s.template.as_str())
    }

    /// The template of a stack, parsed.
    pub fn template_json(&self, stack: &str) -> Option<Json> {
        self.template(stack)
            .and_then(|t| serde_json::from_str(t).ok())
    }

    /// The content hashes of the app's assets, for snapshot redaction
    /// (see `assertions::redact_assets`).
    pub fn asset_hashes(&self) -> Vec<&str> {
        self.assets.iter().map(|a| a.asset.hash.as_str()).collect()
    }

    /// `manifest.json`.
    pub fn manifest(&self) -> &str {
        &self.manifest
    }

    /// Writes the assembly into `dir` as the default owner: see
    /// [`Assembly::write_as`].
    pub fn write(&self, dir: &Path) -> Result<()> {
        self.write_as(dir, DEFAULT_OWNER)
    }

    /// Writes `manifest.json` and one `<Stack>.template.json` per stack into
    /// `dir`, on behalf of `owner` (an app and its environment, such as
    /// `chat-proxy -c env=prod`).
    ///
    /// The folder may hold the output of several owners side by side.
    /// `owners.json` records which files each owner wrote; a write removes
    /// only the files its own owner wrote before and no longer writes. Files
    /// of other owners, and files no owner recorded, stay. `manifest.json`
    /// is the manifest of the latest write.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("formwork-doc-owners-{}", std::process::id()));
    /// use formwork::App;
    /// let synth = |name: &str| -> formwork::Result<formwork::Assembly> {
    ///     let app = App::new();
    ///     // CloudFormation refuses a stack without resources.
    ///     let parameter = formwork::ssm::CfnParameter::new()
    ///         .type_(formwork::ssm::parameter::Type::String)
    ///         .value("v");
    ///     app.stack(name)?.add("Thing", parameter)?;
    ///     app.synth()
    /// };
    /// synth("Dev")?.write_as(&dir, "demo -c env=dev")?;
    /// synth("Prod")?.write_as(&dir, "demo -c env=prod")?;
    /// assert!(dir.join("Dev.template.json").exists(), "another owner's file stays");
    /// synth("Prod2")?.write_as(&dir, "demo -c env=prod")?;
    /// assert!(!dir.join("Prod.template.json").exists(), "the owner's old file goes");
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn write_as(&self, dir: &Path, owner: &str) -> Result<()> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let index_path = dir.join(OWNERS_FILE);
        let mut owners = read_owners(&index_path);
        let mine: Vec<String> = self.stacks.iter().map(|s| s.file_name.clone()).collect();
        let before = owners.remove(owner).unwrap_or_default();
        for (_, files) in owners.iter_mut() {
            files.retain(|f| !mine.contains(f));
        }
        for f in before.iter().filter(|f| !mine.contains(f)) {
            let held = owners.values().any(|files| files.contains(f));
            let p = dir.join(f);
            // Only plain file names are ever recorded; anything else is not ours.
            let plain = Path::new(f).file_name().is_some_and(|n| n == f.as_str());
            if !held && plain && p.is_file() {
                std::fs::remove_file(&p).map_err(io(&p))?;
            }
        }
        for s in &self.stacks {
            let p = dir.join(&s.file_name);
            write_if_changed(&p, s.template.as_bytes()).map_err(io(&p))?;
        }
        let p = dir.join("manifest.json");
        write_if_changed(&p, self.manifest.as_bytes()).map_err(io(&p))?;
        owners.retain(|_, files| !files.is_empty());
        owners.insert(owner.to_owned(), mine);
        let index = json!({ "version": 1, "owners": owners });
        write_if_changed(&index_path, pretty(&index).as_bytes()).map_err(io(&index_path))?;
        Ok(())
    }
}

/// Writes `bytes` to `path` unless the file already holds exactly them.
/// Returns whether it wrote.
///
/// A synth that changes nothing then touches nothing: the files keep their
/// modification times (tools that watch them see no change), and nothing is
/// truncated and written again. Truncating a file whose last contents are
/// still being written back makes the call wait for the disk (on ext4,
/// milliseconds: longer than the whole synth).
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Ok(mut f) = std::fs::File::open(path) {
        if f.metadata()
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && same_contents(&mut f, bytes)
        {
            return Ok(false);
        }
    }
    std::fs::write(path, bytes)?;
    Ok(true)
}

/// True when what `f` reads is exactly `bytes`, read a piece at a time into
/// a buffer on the stack: the file is not copied to the heap whole (a
/// template's tens of kilobytes were as many fresh pages, each a page fault,
/// at every synth).
fn same_contents(f: &mut impl std::io::Read, bytes: &[u8]) -> bool {
    let mut buf = [0u8; 8192];
    let mut rest = bytes;
    loop {
        match f.read(&mut buf) {
            Ok(0) => return rest.is_empty(),
            Ok(n) => match rest.strip_prefix(&buf[..n]) {
                Some(after) => rest = after,
                None => return false,
            },
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// The key of every resource's `Metadata` that holds its construct path
/// (`Stack/Construct/Resource`).
pub const PATH_METADATA: &str = "formwork:path";

/// The owner of [`Assembly::write`].
pub const DEFAULT_OWNER: &str = "app";

/// The file that records which owner wrote which files of an output folder.
pub const OWNERS_FILE: &str = "owners.json";

/// The owners recorded in an output folder: owner → files. A missing or
/// unreadable record is empty, so nothing is removed.
pub fn read_owners(path: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        .and_then(|j| j.get("owners").and_then(Json::as_object).cloned())
        .map(|m| {
            m.into_iter()
                .map(|(k, v)| {
                    let files = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|f| f.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    (k, files)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pretty(v: &Json) -> String {
    pretty::text(v)
}

/// How to synthesize.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SynthOptions {
    /// Treat every warning as an error (`validate --strict`).
    pub strict: bool,
}

impl SynthOptions {
    /// Warnings fail synth too.
    pub fn strict() -> SynthOptions {
        SynthOptions { strict: true }
    }
}

impl App {
    /// Synthesizes every stack. Fails with every error found; nothing is
    /// written (see [`Assembly::write`]).
    ///
    /// ```
    /// use formwork::ssm::{CfnParameter, parameter::Type};
    /// use formwork::{App, Output, Pseudo};
    /// let app = App::new();
    /// let s = app.stack("Demo")?;
    /// s.add("Thing", CfnParameter::new().type_(Type::String).value("v"))?;
    /// s.add_output("Region", Output::new(Pseudo::Region))?;
    /// let asm = app.synth()?;
    /// assert!(asm.template("Demo").unwrap().contains("\"Ref\": \"AWS::Region\""));
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn synth(&self) -> Result<Assembly> {
        self.synth_with(SynthOptions::default())
    }

    /// [`App::synth`] with options: with [`SynthOptions::strict`], any
    /// warning fails synth as an error would.
    pub fn synth_with(&self, options: SynthOptions) -> Result<Assembly> {
        let stacks = self.stacks();
        for s in &stacks {
            for e in &mut s.data_mut().resources {
                e.settle();
            }
        }
        let rules = self.rules();
        let regions = self.regions();
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut schema: Vec<Diagnostic> = Vec::new();
        let positions: FastMap<_, _> = stacks
            .iter()
            .enumerate()
            .filter(|(_, s)| s.app_key() == self.key())
            .map(|(i, s)| (s.id(), i))
            .collect();
        let views: Vec<StackView<'_>> = stacks
            .iter()
            .map(|s| StackView::new(s.name(), s.data(), &mut diags))
            .collect();
        // Construct errors fail synth as they are; construct warnings go
        // through the suppressions with the rules' findings.
        let mut construct_warnings: Vec<Vec<Diagnostic>> = Vec::new();
        for v in &views {
            let (errors, warnings): (Vec<_>, Vec<_>) = v
                .data
                .diagnostics
                .iter()
                .cloned()
                .partition(Diagnostic::is_error);
            diags.extend(errors);
            construct_warnings.push(warnings);
        }
        let ids: Vec<_> = stacks.iter().map(|s| s.id()).collect();
        let mut analysis = analyze(&views, &ids, &positions, regions, &mut diags);

        let mut validator = Validator::default();
        let mut merged_values: Vec<Vec<overrides::Props<'_>>> = Vec::new();
        for (i, v) in views.iter().enumerate() {
            check_parameters(v, &mut diags);
            checks::stack(v, &mut diags);
            let region = v.data.env.region.as_deref();
            let mut lit = literals::Literals {
                path: v.name,
                region,
                regions,
                out: &mut diags,
            };
            if let Some(r) = region {
                lit.region(r, &validate::At::Base(""));
            }
            let mut values = Vec::with_capacity(v.data.resources.len());
            let mut path = String::new();
            for (r, e) in v.data.resources.iter().enumerate() {
                v.path_into(e, &mut path);
                let (props, problems) = overrides::merged_props(e);
                for (p, why) in problems {
                    diags.push(
                        Diagnostic::error(
                            codes::OVERRIDE,
                            path.clone(),
                            format!("the property override cannot be applied: {why}"),
                        )
                        .property(p),
                    );
                }
                if let Some(bag) = e.props() {
                    // Without overrides the properties are the bag's values,
                    // each at its known position.
                    match validate::Bag::of(bag, e.spec.object).filter(|_| e.overrides.is_empty()) {
                        Some(entries) => {
                            validator.resource_with(&path, e.spec, &props, &entries, &mut schema)
                        }
                        None => validator.resource(&path, e.spec, &props, &mut schema),
                    }
                }
                let mut lit = literals::Literals {
                    path: &path,
                    region,
                    regions,
                    out: &mut diags,
                };
                // Checked in the reference analysis's walk when its values
                // are these; else here.
                match analysis.literal_findings[i]
                    .get_mut(r)
                    .and_then(Option::take)
                {
                    Some(found) => lit.out.extend(found),
                    None => {
                        let mut k = 0;
                        while let Some((name, v)) = props.get_index(k) {
                            lit.value(v, name);
                            k += 1;
                        }
                    }
                }
                for (k, m) in &e.metadata {
                    lit.walk(m, &validate::At::Prop(&validate::At::Base("Metadata"), k));
                }
                if let Some(r) = region {
                    if e.spec.missing_in(r) {
                        diags.push(Diagnostic::error(
                            codes::REGION,
                            path.clone(),
                            format!("{} is not available in {r}", e.spec.type_name),
                        ));
                    }
                }
                values.push(props);
            }
            for (name, o) in &v.data.outputs {
                let path = format!("{}/{name} (output)", v.name);
                let mut lit = literals::Literals {
                    path: &path,
                    region,
                    regions,
                    out: &mut diags,
                };
                lit.value(&o.value, "Value");
            }
            for (name, c) in &v.data.conditions {
                let path = format!("{}/{name} (condition)", v.name);
                literals::Literals {
                    path: &path,
                    region,
                    regions,
                    out: &mut diags,
                }
                .value(c, "");
            }
            for (name, p) in &v.data.parameters {
                if let Some(d) = &p.default {
                    let path = format!("{}/{name} (parameter)", v.name);
                    literals::Literals {
                        path: &path,
                        region,
                        regions,
                        out: &mut diags,
                    }
                    .value(d, "Default");
                }
            }
            cycles::check(
                v,
                stacks[i].id(),
                &values,
                &mut analysis.local_refs[i],
                &mut diags,
            );
            merged_values.push(values);
        }

        // Before writing: the stack's tags merged into each resource's
        // properties, the exports that get an output, the tag checks.
        let mut export_uses = Vec::new();
        let mut outputs = Vec::with_capacity(views.len());
        let mut path = String::new();
        for &i in &analysis.order {
            let view = &views[i];
            let r = renderer(i, &views, &positions, &analysis.exports);
            let props = &mut merged_values[i];
            for (e, p) in view.data.resources.iter().zip(props.iter_mut()) {
                view.path_into(e, &mut path);
                tags::merge(&r, p, e.spec.tagging, &view.data.tags, &mut diags, &path);
            }
            outputs.push((
                i,
                template::export_outputs(view, &analysis.exports[i], &mut diags),
            ));
            for (e, p) in view.data.resources.iter().zip(props.iter()) {
                if let Some(prop) = tag_property(e.spec.tagging) {
                    if let Some(t) = p.get(prop) {
                        view.path_into(e, &mut path);
                        checks::tags(&path, prop, t, &mut diags);
                    }
                }
            }
            for (name, o) in &view.data.outputs {
                if let Some(Value::String(n)) = &o.export_name {
                    export_uses.push(checks::ExportUse {
                        name: n.clone(),
                        stack: view.name,
                        env: &view.data.env,
                        path: format!("{}/{name} (output)", view.name),
                    });
                }
            }
            for info in analysis.exports[i].values() {
                export_uses.push(checks::ExportUse {
                    name: info.export_name.clone(),
                    stack: view.name,
                    env: &view.data.env,
                    path: format!("{}/{} (output)", view.name, info.output_id),
                });
            }
        }
        checks::exports(&export_uses, &mut diags);

        let mut artifacts = Vec::new();
        for (i, exports) in outputs {
            let view = &views[i];
            let r = renderer(i, &views, &positions, &analysis.exports);
            let warnings = std::mem::take(&mut construct_warnings[i]);
            let props = &merged_values[i];
            let lazy = lazy::Rendering {
                view,
                renderer: &r,
                props,
                exports: &exports,
            };
            let unique = lazy.unique_ids();
            // Rules read the template as JSON, each resource rendered when
            // read; a stack with a logical id used twice (an error) is
            // rendered whole, as the template a rule would be given.
            let whole = (!rules.is_empty() && !unique).then(|| lazy.whole());
            let (findings, mut read) = if rules.is_empty() {
                (Vec::new(), Vec::new())
            } else {
                suppress::rule_findings(&rules, view, &lazy, whole.as_ref())
            };
            let notes = suppress::judge(view, findings, warnings, &mut diags);
            let direct = |patched: &FastMap<usize, Value>| {
                // Room for the whole text at once: the examples write 0.9
                // to 2.2 KB a resource, and growing the text by doubling
                // copies it each time. Room never written is never touched.
                let mut w = pretty::PrettyWriter::with_capacity(2048 + props.len() * 2048);
                template::write(view, &r, props, &exports, patched, &mut w);
                w.finish()
            };
            let text = if notes.is_empty() {
                // The common case: straight to text, no tree.
                direct(&FastMap::default())
            } else if unique && !notes.on_template() {
                // Notes in some resources' metadata: those metadata objects
                // alone as trees (as the rules read them, or rendered now).
                let patched = suppress::patch_resources(notes, |i| {
                    read.get_mut(i)
                        .and_then(Option::take)
                        .and_then(|mut r| r.as_map_mut()?.swap_remove("Metadata"))
                        .unwrap_or_else(|| lazy.metadata(i))
                });
                direct(&patched)
            } else {
                let mut t = whole.unwrap_or_else(|| lazy.whole());
                suppress::write_notes(&mut t, &view.data.resources, notes);
                let mut w = pretty::PrettyWriter::with_capacity(1024 + props.len() * 512);
                r.value(&t, &mut w);
                w.finish()
            };
            check_limits(view, &analysis.exports[i].len(), text.len(), &mut diags);
            artifacts.push(StackArtifact {
                name: view.name.to_owned(),
                file_name: format!("{}.template.json", view.name),
                template: text,
                env: view.data.env.clone(),
                dependencies: analysis.dependencies[i]
                    .iter()
                    .map(|&d| views[d].name.to_owned())
                    .collect(),
                resource_count: view.data.resources.len(),
                parameters: view
                    .data
                    .parameters
                    .iter()
                    .map(|(n, p)| (n.clone(), p.ty.as_str().to_owned(), p.default.is_some()))
                    .collect(),
                exports: analysis.exports[i]
                    .values()
                    .map(|e| e.export_name.clone())
                    .collect(),
                deploy_inputs: view.data.deploy_inputs.clone(),
            });
        }
        let assets = collect_assets(&views, &analysis.order, &mut diags);
        dedupe(&mut schema, &diags);
        diags.extend(schema);
        locate(&views, &mut diags);
        drop(views);

        if options.strict {
            for d in &mut diags {
                d.severity = Severity::Error;
            }
        }
        let mut all = Diagnostics(diags);
        all.sort();
        if all.has_errors() {
            return Err(Error::Invalid(all));
        }
        let manifest = manifest_text(&artifacts, &assets);
        Ok(Assembly {
            stacks: artifacts,
            assets,
            warnings: all,
            manifest,
        })
    }
}

fn tag_property(t: crate::spec::Tagging) -> Option<&'static str> {
    match t {
        crate::spec::Tagging::List(p) | crate::spec::Tagging::Map(p) => Some(p),
        crate::spec::Tagging::None => None,
    }
}

/// One fault, one error: drops schema findings on a property (or inside
/// one) that a construct already reported an error on.
fn dedupe(schema: &mut Vec<Diagnostic>, reported: &[Diagnostic]) {
    let covered = |d: &Diagnostic| {
        reported.iter().any(|r| {
            r.is_error()
                && !r.code.starts_with("FW0")
                && r.path == d.path
                && match (&r.property, &d.property) {
                    (Some(a), Some(b)) => {
                        a == b
                            || b.strip_prefix(a.as_str())
                                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                    }
                    _ => false,
                }
        })
    };
    schema.retain(|d| !covered(d));
}

/// Fills in where the user's code made the construct each diagnostic is
/// about (a path `Stack/Api/Handler`, maybe with a ` (output)` note).
fn locate(views: &[StackView<'_>], diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.location.is_none()) {
        let path = d.path.split(" (").next().unwrap_or_default();
        let (stack, rel) = path.split_once('/').unwrap_or((path, ""));
        if let Some(v) = views.iter().find(|v| v.name == stack) {
            d.location = v.data.location_of(rel).map(Into::into);
        }
    }
}

/// The renderer of stack `me`.
fn renderer<'a>(
    me: usize,
    views: &'a [StackView<'a>],
    positions: &'a FastMap<crate::expr::StackId, usize>,
    exports: &'a [indexmap::IndexMap<refs::ExportKey, refs::ExportInfo>],
) -> Renderer<'a> {
    Renderer {
        me,
        views,
        positions,
        exports,
    }
}

fn check_parameters(view: &StackView<'_>, diags: &mut Vec<Diagnostic>) {
    use crate::template_parts::ParameterType;
    for (name, p) in &view.data.parameters {
        let path = format!("{}/{name} (parameter)", view.name);
        let mut unchecked = None;
        let mut err =
            |msg: String| diags.push(Diagnostic::error(codes::PARAMETER, path.clone(), msg));
        let is_string =
            matches!(p.ty, ParameterType::String) || matches!(&p.ty, ParameterType::Aws(_));
        let is_number = matches!(p.ty, ParameterType::Number | ParameterType::NumberList);
        if (p.min_length.is_some() || p.max_length.is_some() || p.allowed_pattern.is_some())
            && !is_string
        {
            err(format!(
                "MinLength, MaxLength and AllowedPattern apply to String parameters, not {}",
                p.ty.as_str()
            ));
        }
        if (p.min_value.is_some() || p.max_value.is_some()) && !is_number {
            err(format!(
                "MinValue and MaxValue apply to Number parameters, not {}",
                p.ty.as_str()
            ));
        }
        if let (Some(a), Some(b)) = (p.min_length, p.max_length) {
            if a > b {
                err(format!("MinLength {a} is greater than MaxLength {b}"));
            }
        }
        if let (Some(a), Some(b)) = (p.min_value, p.max_value) {
            if a > b {
                err(format!("MinValue {a} is greater than MaxValue {b}"));
            }
        }
        if let Some(pat) = &p.allowed_pattern {
            // Read, not compiled: only a pattern that is not a regular
            // expression is an error here.
            if let Err(e) = validate::Pattern::read(pat) {
                if e.kind == crate::pattern::ErrorKind::Invalid {
                    err(format!(
                        "AllowedPattern {pat:?} is not a valid regular expression: {}",
                        e.message
                    ));
                }
            }
        }
        let Some(default) = &p.default else { continue };
        if !p.allowed_values.is_empty() && !p.allowed_values.contains(default) {
            err(format!(
                "the default {} is not among the allowed values",
                show_value(default)
            ));
        }
        if let Some(d) = default.as_str() {
            let len = d.chars().count() as u64;
            if p.min_length.is_some_and(|m| len < m) || p.max_length.is_some_and(|m| len > m) {
                err(format!(
                    "the default {d:?} has {len} characters, outside MinLength/MaxLength"
                ));
            }
            if let Some(pat) = &p.allowed_pattern {
                // CloudFormation matches AllowedPattern against the whole value.
                let anchored = format!("^(?:{pat})$");
                match validate::Pattern::new(&anchored) {
                    Ok(r) if !r.is_match(d) => err(format!(
                        "the default {d:?} does not match AllowedPattern {pat:?}"
                    )),
                    // CloudFormation reads the pattern with Java's engine;
                    // syntax formwork's matcher lacks leaves the default
                    // unchecked, said aloud.
                    Err(e) if e.kind == crate::pattern::ErrorKind::Unsupported => {
                        unchecked = Some(format!(
                            "the default {d:?} is not checked against AllowedPattern {pat:?}: {e}"
                        ));
                    }
                    _ => {}
                }
            }
        }
        if is_number {
            if let Some(n) = default
                .as_f64()
                .or_else(|| default.as_str().and_then(|s| s.parse().ok()))
            {
                if p.min_value.is_some_and(|m| n < m) || p.max_value.is_some_and(|m| n > m) {
                    err(format!("the default {n} is outside MinValue/MaxValue"));
                }
            } else if matches!(p.ty, ParameterType::Number) {
                err(format!(
                    "the default {} of a Number parameter is not a number",
                    show_value(default)
                ));
            }
        }
        if let Some(w) = unchecked {
            diags.push(Diagnostic::warning(codes::PARAMETER, path, w));
        }
    }
}

fn show_value(v: &crate::value::Value) -> String {
    match v {
        crate::value::Value::String(s) => format!("{s:?}"),
        other => format!("{other:?}"),
    }
}

fn check_limits(view: &StackView<'_>, exports: &usize, bytes: usize, diags: &mut Vec<Diagnostic>) {
    let d = &view.data;
    let counts = [
        ("resources", d.resources.len(), limits::RESOURCES),
        ("parameters", d.parameters.len(), limits::PARAMETERS),
        ("outputs", d.outputs.len() + exports, limits::OUTPUTS),
        ("mappings", d.mappings.len(), limits::MAPPINGS),
    ];
    for (what, n, max) in counts {
        if n > max {
            diags.push(
                Diagnostic::error(
                    codes::LIMIT,
                    view.name,
                    format!("{n} {what} in one template; CloudFormation allows {max}"),
                )
                .fix("split the app into more stacks"),
            );
        }
    }
    if bytes > limits::TEMPLATE_BYTES {
        diags.push(
            Diagnostic::error(
                codes::TEMPLATE_SIZE,
                view.name,
                format!(
                    "the template is {bytes} bytes; CloudFormation allows {}",
                    limits::TEMPLATE_BYTES
                ),
            )
            .fix("split the app into more stacks"),
        );
    } else if bytes > limits::INLINE_TEMPLATE_BYTES {
        diags.push(
            Diagnostic::warning(
                codes::TEMPLATE_NEEDS_S3,
                view.name,
                format!(
                    "the template is {bytes} bytes, over the {} bytes of an inline template: deploy it through an S3 bucket (`aws cloudformation deploy --s3-bucket …`)",
                    limits::INLINE_TEMPLATE_BYTES
                ),
            ),
        );
    }
}

/// The assets of every stack in deploy order, merged when two constructs
/// declare the same content for the same destination; a repository and a
/// consumer of its image in one stack is an error.
fn collect_assets(
    views: &[StackView<'_>],
    order: &[usize],
    diags: &mut Vec<Diagnostic>,
) -> Vec<AssetArtifact> {
    use crate::asset::{Destination, codes as asset_codes};
    let mut out: Vec<AssetArtifact> = Vec::new();
    for &i in order {
        let v = &views[i];
        for a in &v.data.assets {
            if let Destination::Repository { stack, name, .. } = &a.destination {
                if stack == v.name {
                    diags.push(
                        Diagnostic::error(
                            asset_codes::SAME_STACK,
                            a.path.clone(),
                            format!(
                                "the image is pushed to the repository {name} of the same stack {stack}: the stack cannot run an image before the repository exists and the image is pushed"
                            ),
                        )
                        .fix("move the repository into a stack of its own (deployed first), or leave the image in the assets repository"),
                    );
                    continue;
                }
            }
            let consumer = (a.after_stack().is_none()
                || matches!(a.destination, Destination::Repository { .. }))
            .then(|| v.name.to_owned());
            match out
                .iter_mut()
                .find(|o| o.asset.hash == a.hash && o.asset.destination == a.destination)
            {
                Some(o) => {
                    if let Some(c) = consumer {
                        if !o.consumers.contains(&c) {
                            o.consumers.push(c);
                        }
                    }
                    o.used_by.push(a.path.clone());
                }
                None => out.push(AssetArtifact {
                    asset: a.clone(),
                    consumers: consumer.into_iter().collect(),
                    used_by: vec![a.path.clone()],
                }),
            }
        }
    }
    out
}

/// The assembly's manifest (`manifest.json`), written straight to text in
/// the pretty format of the templates.
fn manifest_text(artifacts: &[StackArtifact], assets: &[AssetArtifact]) -> String {
    let mut w = pretty::PrettyWriter::with_capacity(512 + artifacts.len() * 512);
    w.begin_object();
    w.key("version");
    w.int(1);
    w.str_entry("generator", concat!("formwork ", env!("CARGO_PKG_VERSION")));
    w.key("stacks");
    w.begin_array();
    for a in artifacts {
        stack_manifest(a, &mut w);
    }
    w.end_array();
    w.key("assets");
    w.begin_array();
    for a in assets {
        asset_manifest::write(&a.asset, &a.used_by, &mut w);
    }
    w.end_array();
    w.end_object();
    w.finish()
}

fn stack_manifest(a: &StackArtifact, w: &mut pretty::PrettyWriter) {
    use sink::Sink;
    let strings = |w: &mut pretty::PrettyWriter, key: &str, items: &[String]| {
        w.key(key);
        w.begin_array();
        for s in items {
            w.string(s);
        }
        w.end_array();
    };
    let optional = |w: &mut pretty::PrettyWriter, key: &str, v: &Option<String>| {
        w.key(key);
        match v {
            Some(s) => w.string(s),
            None => w.null(),
        }
    };
    let count = |w: &mut pretty::PrettyWriter, key: &str, n: usize| {
        w.key(key);
        w.int(i64::try_from(n).unwrap_or(i64::MAX));
    };
    w.begin_object();
    w.str_entry("name", &a.name);
    w.str_entry("template", &a.file_name);
    w.key("environment");
    w.begin_object();
    optional(w, "account", &a.env.account);
    optional(w, "region", &a.env.region);
    w.end_object();
    strings(w, "dependencies", &a.dependencies);
    w.key("parameters");
    w.begin_object();
    for (n, t, d) in &a.parameters {
        w.key(n);
        w.begin_object();
        w.str_entry("type", t);
        w.key("hasDefault");
        w.bool(*d);
        w.end_object();
    }
    w.end_object();
    strings(w, "exports", &a.exports);
    count(w, "resources", a.resource_count);
    count(w, "templateBytes", a.template.len());
    w.key("needsS3Upload");
    w.bool(a.needs_s3_upload());
    if !a.deploy_inputs.is_empty() {
        w.key("deploy");
        w.begin_object();
        for (k, items) in &a.deploy_inputs {
            w.key(k);
            w.begin_array();
            for item in items {
                w.json(item);
            }
            w.end_array();
        }
        w.end_object();
    }
    w.end_object();
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod owner_tests {
    use super::*;

    fn synth(names: &[&str]) -> Assembly {
        let app = App::new();
        for n in names {
            app.stack(n)
                .expect("a stack")
                .add("Thing", crate::testing::CfnThing::new())
                .expect("a resource");
        }
        app.synth().expect("synth")
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("formwork-owners-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn a_write_removes_only_what_its_owner_wrote_before() {
        let dir = scratch("rules");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Stranger.template.json"), "{}").unwrap();
        synth(&["A", "B"]).write_as(&dir, "one").unwrap();
        synth(&["C"]).write_as(&dir, "two").unwrap();
        synth(&["A"]).write_as(&dir, "one").unwrap();
        let exists = |f: &str| dir.join(f).exists();
        assert!(exists("A.template.json"));
        assert!(!exists("B.template.json"), "owner one no longer writes B");
        assert!(exists("C.template.json"), "owner two's file stays");
        assert!(
            exists("Stranger.template.json"),
            "a file no owner recorded stays"
        );
        let owners = read_owners(&dir.join(OWNERS_FILE));
        assert_eq!(owners["one"], ["A.template.json"]);
        assert_eq!(owners["two"], ["C.template.json"]);
        // An owner that writes a file another recorded takes it over; the
        // other's next write does not remove it.
        synth(&["C", "D"]).write_as(&dir, "one").unwrap();
        synth(&["E"]).write_as(&dir, "two").unwrap();
        assert!(exists("C.template.json"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_file_is_written_only_when_its_bytes_change() {
        let dir = scratch("changed");
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("f.json");
        assert!(write_if_changed(&p, b"abc").unwrap(), "a new file");
        assert!(!write_if_changed(&p, b"abc").unwrap(), "the same bytes");
        for other in [&b"abd"[..], b"ab", b"abcd", b""] {
            assert!(write_if_changed(&p, other).unwrap(), "{other:?}");
            assert_eq!(std::fs::read(&p).unwrap(), other);
        }
        assert!(
            write_if_changed(&dir, b"x").is_err(),
            "a folder is not a file"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn contents_compare_piece_by_piece_across_the_buffer() {
        /// Gives at most `step` bytes a read, as a pipe or a slow disk may.
        struct Trickle<'a>(&'a [u8], usize);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        for len in [0, 1, 8191, 8192, 8193, 20_000] {
            let a: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            for step in [1, 5000, 8192, usize::MAX] {
                assert!(same_contents(&mut Trickle(&a, step), &a), "{len} {step}");
                let mut longer = a.clone();
                longer.push(1);
                assert!(!same_contents(&mut Trickle(&longer, step), &a), "{len}+1");
                if len > 0 {
                    assert!(!same_contents(&mut Trickle(&a[..len - 1], step), &a));
                    let mut last = a.clone();
                    last[len - 1] ^= 1;
                    assert!(!same_contents(&mut Trickle(&last, step), &a));
                    let mut first = a.clone();
                    first[0] ^= 1;
                    assert!(!same_contents(&mut Trickle(&first, step), &a));
                }
            }
        }
    }

    #[test]
    fn a_synth_that_changes_nothing_touches_no_file() {
        let dir = scratch("untouched");
        synth(&["A", "B"]).write(&dir).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        let files = [
            "A.template.json",
            "B.template.json",
            "manifest.json",
            OWNERS_FILE,
        ];
        for f in files {
            let file = std::fs::File::options()
                .write(true)
                .open(dir.join(f))
                .unwrap();
            file.set_modified(old).unwrap();
        }
        let modified = |f: &str| std::fs::metadata(dir.join(f)).unwrap().modified().unwrap();
        synth(&["A", "B"]).write(&dir).unwrap();
        for f in files {
            assert_eq!(modified(f), old, "{f} was written again");
        }
        // A stack more: its template, the manifest and the record change;
        // the others stay as they were.
        synth(&["A", "B", "C"]).write(&dir).unwrap();
        assert_eq!(modified("A.template.json"), old);
        assert_ne!(modified("manifest.json"), old);
        assert_ne!(modified(OWNERS_FILE), old);
        assert!(dir.join("C.template.json").exists());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_broken_record_removes_nothing() {
        let dir = scratch("broken");
        synth(&["A"]).write(&dir).unwrap();
        std::fs::write(dir.join(OWNERS_FILE), "not json").unwrap();
        synth(&["B"]).write(&dir).unwrap();
        assert!(dir.join("A.template.json").exists());
        std::fs::remove_dir_all(&dir).ok();
    }
}
