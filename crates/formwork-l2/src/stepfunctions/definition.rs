//! Definition: a state machine's graph of states, validated at synth and
//! rendered as the JSON text of `DefinitionString`.

use formwork_core::ValueMap;
use formwork_core::json_text::push_escaped;
use std::collections::{HashSet, VecDeque};

use formwork_core::{Diagnostic, Expr, Fn, Intrinsic, Scope, SubPart, Value};

use super::codes;
use super::states::{Cond, Condition, State, Transition};
use crate::iam::PolicyStatement;

/// What a definition is made of.
#[derive(Clone, Debug, PartialEq)]
enum Body {
    /// Typed states, validated.
    States {
        start_at: String,
        states: Vec<(String, State)>,
    },
    /// ASL JSON written by hand: only its shape is checked.
    Raw(serde_json::Value),
}

/// An Amazon States Language definition: a start state and named states,
/// each going to the next by name.
///
/// Built with typed states ([`Definition::new`] and [`Definition::state`]),
/// it is validated at synth: a `Next`, `Default`, catcher or `StartAt`
/// naming no state, a state no path reaches, a state without `Next` or
/// `End`, a name used twice in the machine, an empty `Choice`, bad
/// retriers, conditions and paths are errors (`FW27xx`). Written by hand
/// ([`Definition::from_json`]), only its shape is checked.
///
/// The definition is written to `DefinitionString` as pretty JSON inside
/// an `Fn::Sub`, so that references (function ARNs) resolve at deploy
/// time; an expression inside the definition is written as a JSON string.
///
/// ```
/// use formwork::stepfunctions::{Choice, Condition, Definition, Fail, Task};
/// let worker = "arn:aws:lambda:ap-northeast-1:123456789012:function:poc-mc-vision-pipeline-worker";
/// let definition = Definition::new("Route")
///     .comment("Runs one inference on one image")
///     .state("Route", Choice::new()
///         .when(Condition::string_equals("$.inference_type", "sagemaker"), "Infer")
///         .when(Condition::string_equals("$.inference_type", "bedrock"), "Infer")
///         .when(Condition::string_equals("$.inference_type", "azure"), "Infer")
///         .otherwise("Unsupported"))
///     .state("Infer", Task::lambda_invoke(worker).end())
///     .state("Unsupported", Fail::new().error("UnsupportedInferenceType"));
/// # let _ = definition;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    body: Body,
    comment: Option<String>,
    timeout_seconds: Option<u32>,
    substitutions: ValueMap,
}

impl Definition {
    /// A definition that starts at the state named `start_at`.
    pub fn new(start_at: impl Into<String>) -> Definition {
        Definition {
            body: Body::States {
                start_at: start_at.into(),
                states: Vec::new(),
            },
            comment: None,
            timeout_seconds: None,
            substitutions: Default::default(),
        }
    }

    /// A definition written by hand as ASL JSON. It must be an object with
    /// `StartAt` (a string) and `States` (an object); nothing else is
    /// checked, and the state machine's role gets no permission for its
    /// tasks (add them with [`super::StateMachine::add_to_role_policy`]).
    /// `${Name}` in its strings is replaced by [`Definition::substitution`]s.
    ///
    /// ```
    /// use formwork::stepfunctions::Definition;
    /// let d = Definition::from_json(serde_json::json!({
    ///     "StartAt": "Call",
    ///     "States": {"Call": {"Type": "Task", "Resource": "${WorkerArn}", "End": true}}
    /// }))
    /// .substitution("WorkerArn", "arn:aws:lambda:ap-northeast-1:123456789012:function:worker");
    /// # let _ = d;
    /// ```
    pub fn from_json(json: serde_json::Value) -> Definition {
        Definition {
            body: Body::Raw(json),
            comment: None,
            timeout_seconds: None,
            substitutions: Default::default(),
        }
    }

    /// Adds a named state (names: 1 to 80 characters, unique in the
    /// whole state machine, branches included). No effect on a definition
    /// from [`Definition::from_json`].
    pub fn state(mut self, name: impl Into<String>, state: impl Into<State>) -> Self {
        if let Body::States { states, .. } = &mut self.body {
            states.push((name.into(), state.into()));
        }
        self
    }

    /// A human-readable comment (typed definitions; a definition from JSON
    /// keeps its own).
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// `TimeoutSeconds`: the execution (or branch) fails after this long
    /// (typed definitions; a definition from JSON keeps its own).
    pub fn timeout_seconds(mut self, seconds: u32) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Replaces `${name}` inside the definition's strings by `value` (a
    /// literal or a reference), like `DefinitionSubstitutions` does.
    pub fn substitution(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.substitutions.insert(name.into(), value.into());
        self
    }

    /// The ASL JSON of the definition, expressions as expressions.
    pub(crate) fn to_value(&self) -> Value {
        match &self.body {
            Body::Raw(json) => Value::from(json.clone()),
            Body::States { start_at, states } => {
                let mut m = ValueMap::default();
                if let Some(c) = &self.comment {
                    m.insert("Comment".to_owned(), Value::from(c.as_str()));
                }
                m.insert("StartAt".to_owned(), Value::from(start_at.as_str()));
                let mut s = ValueMap::default();
                for (name, state) in states {
                    s.insert(name.clone(), state.to_value());
                }
                m.insert("States".to_owned(), Value::Map(s));
                if let Some(t) = self.timeout_seconds {
                    m.insert("TimeoutSeconds".to_owned(), Value::from(t));
                }
                Value::Map(m)
            }
        }
    }

    /// The substitutions of this definition and of those nested in it.
    fn all_substitutions(&self, out: &mut ValueMap) {
        for (k, v) in &self.substitutions {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        if let Body::States { states, .. } = &self.body {
            for (_, s) in states {
                for (_, d) in s.children() {
                    d.all_substitutions(out);
                }
            }
        }
    }

    /// The `DefinitionString` value: the pretty JSON text, as an `Fn::Sub`
    /// when it holds references (a plain string otherwise).
    pub(crate) fn to_definition_string(&self) -> Expr {
        let mut subs = ValueMap::default();
        self.all_substitutions(&mut subs);
        let mut p = Printer {
            out: Vec::new(),
            text: String::new(),
            subs: &subs,
        };
        p.value(&self.to_value(), 0);
        p.flush();
        Fn::concat(p.out)
    }

    /// The statements the state machine's role needs for the tasks.
    pub(crate) fn role_statements(&self) -> Vec<PolicyStatement> {
        match &self.body {
            Body::Raw(_) => Vec::new(),
            Body::States { states, .. } => states
                .iter()
                .flat_map(|(_, s)| s.role_statements())
                .collect(),
        }
    }

    /// Reports every problem of the definition on `node`, under `prefix`
    /// (`Definition`).
    pub(crate) fn validate(&self, node: &Scope, prefix: &str) {
        let mut seen = HashSet::new();
        self.validate_in(node, prefix, &mut seen);
    }

    fn validate_in(&self, node: &Scope, prefix: &str, seen: &mut HashSet<String>) {
        let (start_at, states) = match &self.body {
            Body::Raw(json) => {
                check_raw(node, prefix, json);
                return;
            }
            Body::States { start_at, states } => (start_at, states),
        };
        let names: HashSet<&str> = states.iter().map(|(n, _)| n.as_str()).collect();
        let in_branch = prefix != "Definition";
        let unknown = |property: String, what: &str, target: &str| {
            let scope_note = if in_branch {
                " of this branch (states inside a Map or Parallel can only move to states of the same branch)"
            } else {
                ""
            };
            let known = if names.is_empty() {
                "there are no states".to_owned()
            } else {
                let mut list: Vec<&str> = names.iter().copied().collect();
                list.sort_unstable();
                format!("states: {}", list.join(", "))
            };
            node.report(
                Diagnostic::error(
                    codes::UNKNOWN_STATE,
                    node.path(),
                    format!("{what} `{target}` names no state{scope_note}; {known}"),
                )
                .property(property),
            );
        };
        if !names.contains(start_at.as_str()) {
            unknown(format!("{prefix}.StartAt"), "StartAt", start_at);
        }
        for (name, state) in states {
            let here = format!("{prefix}.States.{name}");
            let len = name.chars().count();
            if len == 0 || len > 80 {
                node.error(
                    codes::STATE_NAME,
                    &here,
                    format!("state name `{name}` has {len} characters; allowed: 1 to 80"),
                );
            }
            if !seen.insert(name.clone()) {
                node.report(
                    Diagnostic::error(
                        codes::DUPLICATE_STATE,
                        node.path(),
                        format!("state name `{name}` is used more than once; names are unique in the whole state machine, branches included"),
                    )
                    .property(here.clone())
                    .fix("rename one of them"),
                );
            }
            match state.transition() {
                Some(Transition::Next(n)) if !names.contains(n.as_str()) => {
                    unknown(format!("{here}.Next"), "Next", n);
                }
                Some(Transition::Unset) => {
                    node.report(
                        Diagnostic::error(
                            codes::NO_TRANSITION,
                            node.path(),
                            format!(
                                "{} state `{name}` has neither Next nor End",
                                state.type_name()
                            ),
                        )
                        .property(here.clone())
                        .fix("add `.next(\"<state>\")` or `.end()`"),
                    );
                }
                _ => {}
            }
            if let State::Choice(c) = state {
                if c.rules.is_empty() {
                    node.report(
                        Diagnostic::error(
                            codes::EMPTY_CHOICE,
                            node.path(),
                            format!(
                                "Choice state `{name}` has no rule; a Choice needs at least one"
                            ),
                        )
                        .property(format!("{here}.Choices"))
                        .fix("add `.when(condition, \"<state>\")`, or use a Pass state"),
                    );
                }
                for (i, (cond, next)) in c.rules.iter().enumerate() {
                    let rule = format!("{here}.Choices[{i}]");
                    check_condition(node, &rule, cond);
                    if !names.contains(next.as_str()) {
                        unknown(format!("{rule}.Next"), "Next", next);
                    }
                }
                if let Some(d) = &c.default {
                    if !names.contains(d.as_str()) {
                        unknown(format!("{here}.Default"), "Default", d);
                    }
                }
            }
            for (i, catch) in state.catchers().iter().enumerate() {
                let at = format!("{here}.Catch[{i}]");
                if !names.contains(catch.next.as_str()) {
                    unknown(format!("{at}.Next"), "Next", &catch.next);
                }
                if let Some(p) = catch.result_path_str() {
                    check_path(node, &format!("{at}.ResultPath"), p);
                }
            }
            check_error_lists(node, &here, state);
            for (prop, path) in state.paths() {
                check_path(node, &format!("{here}.{prop}"), path);
            }
            if let State::Task(t) = state {
                check_timeouts(node, &here, t.timeout_seconds, t.heartbeat_seconds);
            }
            for (child, def) in state.children() {
                def.validate_in(node, &format!("{here}.{child}"), seen);
            }
        }
        // Reachability from StartAt.
        let mut reached: HashSet<&str> = HashSet::new();
        let mut queue: VecDeque<&str> = VecDeque::new();
        if names.contains(start_at.as_str()) {
            queue.push_back(start_at);
        }
        while let Some(n) = queue.pop_front() {
            if !reached.insert(n) {
                continue;
            }
            let Some((_, state)) = states.iter().find(|(name, _)| name == n) else {
                continue;
            };
            for t in targets(state) {
                if names.contains(t) && !reached.contains(t) {
                    queue.push_back(t);
                }
            }
        }
        for (name, _) in states {
            if !reached.contains(name.as_str()) && names.contains(start_at.as_str()) {
                node.report(
                    Diagnostic::error(
                        codes::UNREACHABLE,
                        node.path(),
                        format!("state `{name}` cannot be reached from StartAt `{start_at}`"),
                    )
                    .property(format!("{prefix}.States.{name}"))
                    .fix("point a Next, Default or Catch at it, or remove it"),
                );
            }
        }
    }
}

/// The states a state can go to.
fn targets(state: &State) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(Transition::Next(n)) = state.transition() {
        out.push(n.as_str());
    }
    if let State::Choice(c) = state {
        out.extend(c.rules.iter().map(|(_, n)| n.as_str()));
        if let Some(d) = &c.default {
            out.push(d.as_str());
        }
    }
    out.extend(state.catchers().iter().map(|c| c.next.as_str()));
    out
}

fn check_raw(node: &Scope, prefix: &str, json: &serde_json::Value) {
    let problem = match json {
        serde_json::Value::Object(m) => match (m.get("StartAt"), m.get("States")) {
            (Some(serde_json::Value::String(_)), Some(serde_json::Value::Object(_))) => None,
            (Some(serde_json::Value::String(_)), Some(_)) => {
                Some("`States` is not an object".to_owned())
            }
            (Some(serde_json::Value::String(_)), None) => Some("it has no `States`".to_owned()),
            (Some(_), _) => Some("`StartAt` is not a string".to_owned()),
            (None, _) => Some("it has no `StartAt`".to_owned()),
        },
        other => Some(format!(
            "it is a JSON {} instead of an object",
            json_kind(other)
        )),
    };
    if let Some(p) = problem {
        node.error(
            codes::RAW_DEFINITION,
            prefix,
            format!("the definition is not an ASL state machine: {p}; expected an object with `StartAt` (a string) and `States` (an object)"),
        );
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn check_path(node: &Scope, property: &str, path: &str) {
    if !path.starts_with('$') {
        node.error(
            codes::PATH,
            property,
            format!("`{path}` is not a JSONPath; a path starts with `$` (`$`, `$.field`, `$$.Execution.Id`)"),
        );
    }
}

fn check_timeouts(node: &Scope, here: &str, timeout: Option<u32>, heartbeat: Option<u32>) {
    if timeout == Some(0) {
        node.error(
            codes::TIMEOUT,
            &format!("{here}.TimeoutSeconds"),
            "a timeout of 0 seconds; allowed: 1 or more",
        );
    }
    if heartbeat == Some(0) {
        node.error(
            codes::TIMEOUT,
            &format!("{here}.HeartbeatSeconds"),
            "a heartbeat of 0 seconds; allowed: 1 or more",
        );
    }
    if let (Some(t), Some(h)) = (timeout, heartbeat) {
        if h >= t {
            node.error(
                codes::TIMEOUT,
                &format!("{here}.HeartbeatSeconds"),
                format!("the heartbeat ({h} s) must be shorter than the timeout ({t} s)"),
            );
        }
    }
}

fn check_condition(node: &Scope, property: &str, c: &Condition) {
    match &c.0 {
        Cond::Compare { variable, .. } => {
            if !variable.starts_with('$') {
                node.error(
                    codes::CONDITION,
                    &format!("{property}.Variable"),
                    format!(
                        "`{variable}` is not a JSONPath; a condition's variable starts with `$`"
                    ),
                );
            }
        }
        Cond::And(cs) | Cond::Or(cs) => {
            let op = if matches!(c.0, Cond::And(_)) {
                "And"
            } else {
                "Or"
            };
            if cs.is_empty() {
                node.error(
                    codes::CONDITION,
                    &format!("{property}.{op}"),
                    format!("an empty {op}; it needs at least one condition"),
                );
            }
            for (i, inner) in cs.iter().enumerate() {
                check_condition(node, &format!("{property}.{op}[{i}]"), inner);
            }
        }
        Cond::Not(inner) => check_condition(node, &format!("{property}.Not"), inner),
    }
}

/// Retriers and catchers: non-empty error lists, `States.ALL` alone and
/// last, sensible retry numbers.
fn check_error_lists(node: &Scope, here: &str, state: &State) {
    let retries = state.retriers();
    let catches = state.catchers();
    let lists: Vec<(String, &[String], bool)> = retries
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                format!("{here}.Retry[{i}]"),
                r.errors.as_slice(),
                i + 1 == retries.len(),
            )
        })
        .chain(catches.iter().enumerate().map(|(i, c)| {
            (
                format!("{here}.Catch[{i}]"),
                c.errors.as_slice(),
                i + 1 == catches.len(),
            )
        }))
        .collect();
    for (at, errors, last) in lists {
        if errors.is_empty() {
            node.error(
                codes::RETRY_CATCH,
                &format!("{at}.ErrorEquals"),
                "an empty ErrorEquals; name at least one error",
            );
        } else if errors.iter().any(|e| e == super::states::errors::ALL)
            && (errors.len() > 1 || !last)
        {
            node.report(
                Diagnostic::error(
                    codes::RETRY_CATCH,
                    node.path(),
                    "States.ALL must be the only error of its retrier or catcher, and that one must come last",
                )
                .property(format!("{at}.ErrorEquals")),
            );
        }
    }
    for (i, r) in retries.iter().enumerate() {
        if let Some(b) = r.backoff_rate {
            if b < 1.0 || !b.is_finite() {
                node.error(
                    codes::RETRY_CATCH,
                    &format!("{here}.Retry[{i}].BackoffRate"),
                    format!("a backoff rate of {b}; allowed: 1.0 or more"),
                );
            }
        }
        if r.interval() == Some(0) {
            node.error(
                codes::RETRY_CATCH,
                &format!("{here}.Retry[{i}].IntervalSeconds"),
                "an interval of 0 seconds; allowed: 1 or more",
            );
        }
    }
}

/// Writes a value as pretty JSON text, references as `Fn::Sub` pieces.
struct Printer<'a> {
    out: Vec<Value>,
    text: String,
    subs: &'a ValueMap,
}

impl Printer<'_> {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push(Value::String(std::mem::take(&mut self.text)));
        }
    }

    fn newline(&mut self, indent: usize) {
        self.text.push('\n');
        for _ in 0..indent {
            self.text.push_str("  ");
        }
    }

    fn value(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Null => self.text.push_str("null"),
            Value::Bool(b) => self.text.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => self.text.push_str(&i.to_string()),
            Value::Float(f) => {
                let n = serde_json::Number::from_f64(*f)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number);
                self.text.push_str(&n.to_string());
            }
            Value::String(s) => self.string(s),
            Value::List(items) => {
                if items.is_empty() {
                    self.text.push_str("[]");
                    return;
                }
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push(',');
                    }
                    self.newline(indent + 1);
                    self.value(item, indent + 1);
                }
                self.newline(indent);
                self.text.push(']');
            }
            Value::Map(m) => {
                if m.is_empty() {
                    self.text.push_str("{}");
                    return;
                }
                self.text.push('{');
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        self.text.push(',');
                    }
                    self.newline(indent + 1);
                    self.text.push('"');
                    push_escaped(&mut self.text, k);
                    self.text.push('"');
                    self.text.push_str(": ");
                    self.value(item, indent + 1);
                }
                self.newline(indent);
                self.text.push('}');
            }
            Value::Expr(e) => {
                self.text.push('"');
                self.expr_in_string(e);
                self.text.push('"');
            }
            Value::Unchecked(inner) => self.value(inner, indent),
        }
    }

    /// A JSON string literal, with `${Name}` of the substitutions replaced.
    fn string(&mut self, s: &str) {
        self.text.push('"');
        self.string_body(s);
        self.text.push('"');
    }

    fn string_body(&mut self, s: &str) {
        let mut rest = s;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            let name = &after[..end];
            let Some(sub) = self.subs.get(name).cloned() else {
                push_escaped(&mut self.text, &rest[..start + 2 + end + 1]);
                rest = &after[end + 1..];
                continue;
            };
            push_escaped(&mut self.text, &rest[..start]);
            match sub {
                Value::Expr(e) => self.expr_in_string(&e),
                Value::String(t) => push_escaped(&mut self.text, &t),
                other => push_escaped(&mut self.text, &render_scalar(&other)),
            }
            rest = &after[end + 1..];
        }
        push_escaped(&mut self.text, rest);
    }

    /// An expression inside a JSON string: its literal parts escaped, its
    /// references as pieces.
    fn expr_in_string(&mut self, e: &Expr) {
        if let Intrinsic::Sub(parts, vars) = e.intrinsic() {
            for p in parts {
                match p {
                    SubPart::Text(t) => push_escaped(&mut self.text, t),
                    SubPart::Ref(t) => self.piece(Expr::reference(t.clone()).into()),
                    SubPart::GetAtt(t, a) => self.piece(Expr::get_att(t.clone(), a.clone()).into()),
                    SubPart::Pseudo(p) => self.piece((*p).into()),
                    SubPart::Var(n) => match vars.get(n) {
                        Some(Value::Expr(inner)) => self.expr_in_string(inner),
                        Some(Value::String(s)) => push_escaped(&mut self.text, s),
                        Some(other) => push_escaped(&mut self.text, &render_scalar(other)),
                        None => {}
                    },
                }
            }
        } else {
            self.piece(e.clone().into());
        }
    }

    fn piece(&mut self, v: Value) {
        self.flush();
        self.out.push(v);
    }
}

/// A scalar as text (for substitutions of numbers and booleans).
fn render_scalar(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepfunctions::{
        Catch, Choice, Condition, Fail, Map, Parallel, Pass, Retry, StateMachine,
        StateMachineProps, Succeed, Task, Wait,
    };
    use formwork_core::App;
    use formwork_test_support::{synth_and_lint, template};
    use serde_json::json;

    const WORKER: &str = "arn:aws:lambda:ap-northeast-1:123456789012:function:worker";

    /// Synthesizes (and lints) a machine; returns its DefinitionString text.
    fn rendered(def: Definition, label: &str) -> (serde_json::Value, String) {
        let app = App::new();
        let s = app.stack("S").unwrap();
        StateMachine::new(&s, "M", StateMachineProps::new(def)).unwrap();
        let t = template(&synth_and_lint(&app, label), "S");
        let d = t["Resources"]["M"]["Properties"]["DefinitionString"].clone();
        let text = match &d {
            serde_json::Value::String(s) => s.clone(),
            other => other["Fn::Sub"].as_str().unwrap().to_owned(),
        };
        (d, text)
    }

    /// The errors synth reports for a machine with this definition.
    fn errors(def: Definition) -> Vec<Diagnostic> {
        let app = App::new();
        let s = app.stack("S").unwrap();
        StateMachine::new(&s, "M", StateMachineProps::new(def)).unwrap();
        app.synth().unwrap_err().diagnostics().unwrap().0.clone()
    }

    fn only(ds: &[Diagnostic], code: &str) -> Vec<(String, String)> {
        ds.iter()
            .filter(|d| d.code == code)
            .map(|d| {
                assert_eq!(d.path, "S/M");
                (d.property.clone().unwrap_or_default(), d.message.clone())
            })
            .collect()
    }

    #[test]
    fn small_machine_renders_exactly() {
        let def = Definition::new("Prepare")
            .state(
                "Prepare",
                Pass::new()
                    .result(json!({"inference_type": "bedrock"}))
                    .result_path("$.defaults")
                    .next("Infer"),
            )
            .state("Infer", Task::lambda_invoke(WORKER).end());
        let (raw, text) = rendered(def, "sfn-small");
        assert!(
            raw.get("Fn::Sub").is_some(),
            "the partition is a reference: {raw}"
        );
        let expected = r#"{
  "StartAt": "Prepare",
  "States": {
    "Prepare": {
      "Type": "Pass",
      "Result": {
        "inference_type": "bedrock"
      },
      "ResultPath": "$.defaults",
      "Next": "Infer"
    },
    "Infer": {
      "Type": "Task",
      "Resource": "arn:${AWS::Partition}:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "arn:aws:lambda:ap-northeast-1:123456789012:function:worker",
        "Payload.$": "$"
      },
      "Retry": [
        {
          "ErrorEquals": [
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException"
          ],
          "IntervalSeconds": 1,
          "MaxAttempts": 3,
          "BackoffRate": 2
        }
      ],
      "End": true
    }
  }
}"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn every_state_type_renders_and_passes_the_asl_schema() {
        // Literal resources only: the DefinitionString is a plain string,
        // which cfn-lint validates against its ASL schema (E3601).
        let queue = "arn:aws:states:::sqs:sendMessage";
        let each = Definition::new("Send").state(
            "Send",
            Task::new(queue)
                .parameters(json!({"QueueUrl": "https://sqs.ap-northeast-1.amazonaws.com/123456789012/q", "MessageBody.$": "$"}))
                .end(),
        );
        let def = Definition::new("Start")
            .comment("all states")
            .timeout_seconds(3600)
            .state(
                "Start",
                Pass::new()
                    .comment("begin")
                    .parameters(json!({"items.$": "$.items", "kind.$": "$.kind"}))
                    .next("Pause"),
            )
            .state("Pause", Wait::seconds(5).next("Until"))
            .state("Until", Wait::timestamp_path("$.not_before").next("Route"))
            .state(
                "Route",
                Choice::new()
                    .when(Condition::string_equals("$.kind", "fan"), "Fan")
                    .when(
                        Condition::and([
                            Condition::is_present("$.size", true),
                            !Condition::number_less_than("$.size", 1.5),
                        ]),
                        "Each",
                    )
                    .when(Condition::boolean_equals("$.skip", true), "Done")
                    .otherwise("Broken"),
            )
            .state(
                "Fan",
                Parallel::new()
                    .branch(Definition::new("Left").state("Left", Pass::new().end()))
                    .branch(Definition::new("Right").state("Right", Wait::seconds(1).end()))
                    .result_path("$.fan")
                    .catch(Catch::all("Broken").result_path("$.error"))
                    .next("Done"),
            )
            .state(
                "Each",
                Map::new(each)
                    .items_path("$.items")
                    .item_selector(json!({"item.$": "$$.Map.Item.Value"}))
                    .max_concurrency(4)
                    .discard_result()
                    .retry(
                        Retry::on(["States.TaskFailed"])
                            .interval_seconds(2)
                            .max_attempts(2)
                            .backoff_rate(1.5),
                    )
                    .next("Done"),
            )
            .state("Done", Succeed::new())
            .state("Broken", Fail::new().error("Broken").cause("see the logs"));
        let (raw, text) = rendered(def, "sfn-all-states");
        assert!(raw.is_string(), "no reference: a plain string ({raw})");
        let asl: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(asl["Comment"], "all states");
        assert_eq!(asl["TimeoutSeconds"], 3600);
        assert_eq!(
            asl["States"]["Route"]["Choices"][1],
            json!({"And": [{"Variable": "$.size", "IsPresent": true}, {"Not": {"Variable": "$.size", "NumericLessThan": 1.5}}], "Next": "Each"})
        );
        assert_eq!(asl["States"]["Route"]["Default"], "Broken");
        assert_eq!(asl["States"]["Each"]["ItemProcessor"]["StartAt"], "Send");
        assert_eq!(asl["States"]["Each"]["ResultPath"], serde_json::Value::Null);
        assert_eq!(asl["States"]["Each"]["Retry"][0]["BackoffRate"], 1.5);
        assert_eq!(
            asl["States"]["Fan"]["Branches"][1]["States"]["Right"],
            json!({"Type": "Wait", "Seconds": 1, "End": true})
        );
        assert_eq!(
            asl["States"]["Fan"]["Catch"][0],
            json!({"ErrorEquals": ["States.ALL"], "Next": "Broken", "ResultPath": "$.error"})
        );
        assert_eq!(
            asl["States"]["Broken"],
            json!({"Type": "Fail", "Error": "Broken", "Cause": "see the logs"})
        );
        assert_eq!(
            asl["States"]["Until"],
            json!({"Type": "Wait", "TimestampPath": "$.not_before", "Next": "Route"})
        );
    }

    #[test]
    fn references_resolve_inside_the_definition_string() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let p = s
            .add_parameter("WorkerArn", formwork_core::Parameter::string())
            .unwrap();
        let def = Definition::new("Call").state(
            "Call",
            Task::lambda_invoke(p.ref_())
                .payload(Value::object([
                    ("region", Value::from(formwork_core::Pseudo::Region)),
                    ("quote", Value::from("say \"hi\"")),
                ]))
                .without_service_retry()
                .end(),
        );
        StateMachine::new(&s, "M", StateMachineProps::new(def)).unwrap();
        let t = template(&synth_and_lint(&app, "sfn-refs"), "S");
        let sub = t["Resources"]["M"]["Properties"]["DefinitionString"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(sub.contains(r#""FunctionName": "${WorkerArn}""#), "{sub}");
        assert!(sub.contains(r#""region": "${AWS::Region}""#), "{sub}");
        assert!(sub.contains(r#""quote": "say \"hi\"""#), "{sub}");
        assert!(!sub.contains("Retry"), "{sub}");
    }

    #[test]
    fn raw_definitions_take_substitutions() {
        let app = App::new();
        let s = app.stack("S").unwrap();
        let p = s
            .add_parameter("Fn", formwork_core::Parameter::string())
            .unwrap();
        let def = Definition::from_json(json!({
            "StartAt": "Call",
            "States": {"Call": {"Type": "Task", "Resource": "${Target}", "Comment": "keeps ${Other}", "End": true}}
        }))
        .substitution("Target", p.ref_());
        StateMachine::new(&s, "M", StateMachineProps::new(def)).unwrap();
        let t = template(&synth_and_lint(&app, "sfn-raw"), "S");
        let sub = t["Resources"]["M"]["Properties"]["DefinitionString"]["Fn::Sub"]
            .as_str()
            .unwrap();
        assert!(sub.contains(r#""Resource": "${Fn}""#), "{sub}");
        assert!(sub.contains(r#""Comment": "keeps ${!Other}""#), "{sub}");
    }

    #[test]
    fn unknown_targets_are_errors() {
        let ds = errors(
            Definition::new("Nope")
                .state("A", Pass::new().next("Missing"))
                .state(
                    "B",
                    Choice::new()
                        .when(Condition::string_equals("$.x", "y"), "Gone")
                        .otherwise("Away"),
                )
                .state(
                    "C",
                    Task::new("arn:aws:states:::sqs:sendMessage")
                        .catch(Catch::all("Lost"))
                        .end(),
                ),
        );
        let found = only(&ds, codes::UNKNOWN_STATE);
        let props: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            props,
            [
                "Definition.StartAt",
                "Definition.States.A.Next",
                "Definition.States.B.Choices[0].Next",
                "Definition.States.B.Default",
                "Definition.States.C.Catch[0].Next"
            ]
        );
        assert_eq!(found[1].1, "Next `Missing` names no state; states: A, B, C");
    }

    #[test]
    fn branches_cannot_jump_out() {
        let ds = errors(
            Definition::new("Fan")
                .state(
                    "Fan",
                    Parallel::new()
                        .branch(Definition::new("In").state("In", Pass::new().next("Done")))
                        .next("Done"),
                )
                .state("Done", Succeed::new()),
        );
        let found = only(&ds, codes::UNKNOWN_STATE);
        assert_eq!(found.len(), 1, "{ds:?}");
        assert_eq!(
            found[0].0,
            "Definition.States.Fan.Branches[0].States.In.Next"
        );
        assert!(found[0].1.contains("same branch"), "{}", found[0].1);
    }

    #[test]
    fn empty_definitions_name_no_state() {
        let ds = errors(Definition::new("Start"));
        let found = only(&ds, codes::UNKNOWN_STATE);
        assert_eq!(
            found,
            [(
                "Definition.StartAt".to_owned(),
                "StartAt `Start` names no state; there are no states".to_owned()
            )]
        );
    }

    #[test]
    fn unreachable_states_are_errors() {
        let ds = errors(
            Definition::new("A")
                .state("A", Pass::new().end())
                .state("Island", Pass::new().next("Island2"))
                .state("Island2", Succeed::new()),
        );
        let found = only(&ds, codes::UNREACHABLE);
        assert_eq!(found.len(), 2, "{ds:?}");
        assert_eq!(found[0].0, "Definition.States.Island");
        assert_eq!(
            found[0].1,
            "state `Island` cannot be reached from StartAt `A`"
        );
        assert_eq!(found[1].0, "Definition.States.Island2");
    }

    #[test]
    fn catch_and_choice_targets_count_as_reachable() {
        let ds = errors(
            Definition::new("T")
                .state(
                    "T",
                    Task::new("arn:aws:states:::sqs:sendMessage")
                        .catch(Catch::all("C"))
                        .next("Ch"),
                )
                .state(
                    "Ch",
                    Choice::new()
                        .when(Condition::is_null("$.x", true), "S")
                        .otherwise("F"),
                )
                .state("C", Fail::new())
                .state("S", Succeed::new())
                .state("F", Fail::new())
                .state("Stray", Pass::new().next("Stray")),
        );
        assert_eq!(only(&ds, codes::UNREACHABLE).len(), 1, "{ds:?}");
        assert_eq!(ds.len(), 1, "{ds:?}");
    }

    #[test]
    fn states_without_next_or_end_are_errors() {
        let ds = errors(
            Definition::new("T")
                .state("T", Task::new("arn:aws:states:::sqs:sendMessage").next("W"))
                .state("W", Wait::seconds(1))
                .state(
                    "Never",
                    Map::new(Definition::new("P").state("P", Pass::new())),
                ),
        );
        let found = only(&ds, codes::NO_TRANSITION);
        let props: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            props,
            [
                "Definition.States.W",
                "Definition.States.Never",
                "Definition.States.Never.ItemProcessor.States.P"
            ]
        );
        assert_eq!(found[0].1, "Wait state `W` has neither Next nor End");
        let fix = ds
            .iter()
            .find(|d| d.code == codes::NO_TRANSITION)
            .and_then(|d| d.fix.clone());
        assert!(fix.is_some_and(|f| f.contains(".end()")));
    }

    #[test]
    fn duplicate_names_are_errors_across_branches() {
        let ds = errors(
            Definition::new("A")
                .state("A", Pass::new().next("Fan"))
                .state(
                    "Fan",
                    Parallel::new()
                        .branch(Definition::new("A").state("A", Pass::new().end()))
                        .end(),
                )
                .state("Fan", Succeed::new()),
        );
        let found = only(&ds, codes::DUPLICATE_STATE);
        let props: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            props,
            [
                "Definition.States.Fan.Branches[0].States.A",
                "Definition.States.Fan"
            ]
        );
        assert!(found[0].1.contains("`A` is used more than once"));
    }

    #[test]
    fn empty_choices_are_errors() {
        let ds = errors(
            Definition::new("C")
                .state("C", Choice::new().otherwise("D"))
                .state("D", Succeed::new()),
        );
        let found = only(&ds, codes::EMPTY_CHOICE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "Definition.States.C.Choices");
        assert_eq!(
            found[0].1,
            "Choice state `C` has no rule; a Choice needs at least one"
        );
    }

    #[test]
    fn state_names_are_limited_to_80_characters() {
        let long = "x".repeat(81);
        let ds = errors(
            Definition::new(long.clone())
                .state(long.clone(), Succeed::new())
                .state("", Succeed::new()),
        );
        let found = only(&ds, codes::STATE_NAME);
        assert_eq!(found.len(), 2, "{ds:?}");
        assert_eq!(found[0].0, format!("Definition.States.{long}"));
        assert!(found[0].1.contains("81 characters; allowed: 1 to 80"));
        assert!(found[1].1.contains("`` has 0 characters"));
    }

    #[test]
    fn raw_definitions_need_start_at_and_states() {
        for (json, problem) in [
            (json!([1, 2]), "it is a JSON array instead of an object"),
            (json!({"States": {}}), "it has no `StartAt`"),
            (
                json!({"StartAt": 3, "States": {}}),
                "`StartAt` is not a string",
            ),
            (json!({"StartAt": "A"}), "it has no `States`"),
            (
                json!({"StartAt": "A", "States": []}),
                "`States` is not an object",
            ),
        ] {
            let ds = errors(Definition::from_json(json));
            let found = only(&ds, codes::RAW_DEFINITION);
            assert_eq!(found.len(), 1, "{ds:?}");
            assert_eq!(found[0].0, "Definition");
            assert!(found[0].1.contains(problem), "{} / {problem}", found[0].1);
        }
        // Anything else in a raw definition is not checked.
        let app = App::new();
        let s = app.stack("S").unwrap();
        let raw = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
        StateMachine::new(&s, "M", StateMachineProps::new(Definition::from_json(raw))).unwrap();
        synth_and_lint(&app, "sfn-raw-ok");
    }

    #[test]
    fn retriers_and_catchers_are_checked() {
        let ds = errors(
            Definition::new("T")
                .state(
                    "T",
                    Task::new("arn:aws:states:::sqs:sendMessage")
                        .retry(Retry::all())
                        .retry(
                            Retry::on(["States.Timeout"])
                                .backoff_rate(0.5)
                                .interval_seconds(0),
                        )
                        .retry(Retry::on(Vec::<String>::new()))
                        .catch(Catch::on(["States.ALL", "States.Timeout"], "F"))
                        .next("F"),
                )
                .state("F", Fail::new()),
        );
        let found = only(&ds, codes::RETRY_CATCH);
        let props: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            props,
            [
                "Definition.States.T.Retry[0].ErrorEquals",
                "Definition.States.T.Retry[2].ErrorEquals",
                "Definition.States.T.Catch[0].ErrorEquals",
                "Definition.States.T.Retry[1].BackoffRate",
                "Definition.States.T.Retry[1].IntervalSeconds"
            ]
        );
        assert!(found[0].1.contains("States.ALL must be the only error"));
        assert!(found[3].1.contains("0.5; allowed: 1.0 or more"));
    }

    #[test]
    fn conditions_are_checked() {
        let ds = errors(
            Definition::new("C")
                .state(
                    "C",
                    Choice::new()
                        .when(Condition::string_equals("inference_type", "x"), "D")
                        .when(Condition::or([]), "D")
                        .when(
                            Condition::not(Condition::and([Condition::is_string("nope", true)])),
                            "D",
                        ),
                )
                .state("D", Succeed::new()),
        );
        let found = only(&ds, codes::CONDITION);
        let props: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            props,
            [
                "Definition.States.C.Choices[0].Variable",
                "Definition.States.C.Choices[1].Or",
                "Definition.States.C.Choices[2].Not.And[0].Variable"
            ]
        );
        assert!(found[0].1.contains("`inference_type` is not a JSONPath"));
    }

    #[test]
    fn paths_must_start_with_dollar() {
        let ds = errors(
            Definition::new("T")
                .state(
                    "T",
                    Task::lambda_invoke(WORKER)
                        .input_path("detail")
                        .payload_path("body")
                        .result_path("$.ok")
                        .catch(Catch::all("F").result_path("error"))
                        .next("W"),
                )
                .state("W", Wait::seconds_path("delay").next("F"))
                .state("F", Fail::new()),
        );
        let found = only(&ds, codes::PATH);
        let props: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            props,
            [
                "Definition.States.T.Catch[0].ResultPath",
                "Definition.States.T.InputPath",
                "Definition.States.T.Parameters.Payload.$",
                "Definition.States.W.SecondsPath"
            ]
        );
        assert!(found[1].1.starts_with("`detail` is not a JSONPath"));
    }

    #[test]
    fn task_timeouts_are_checked() {
        let ds = errors(
            Definition::new("T")
                .state(
                    "T",
                    Task::new("arn:aws:states:::sqs:sendMessage")
                        .timeout_seconds(60)
                        .heartbeat_seconds(60)
                        .next("U"),
                )
                .state(
                    "U",
                    Task::new("arn:aws:states:::sqs:sendMessage")
                        .timeout_seconds(0)
                        .end(),
                ),
        );
        let found = only(&ds, codes::TIMEOUT);
        assert_eq!(
            found,
            [
                (
                    "Definition.States.T.HeartbeatSeconds".to_owned(),
                    "the heartbeat (60 s) must be shorter than the timeout (60 s)".to_owned()
                ),
                (
                    "Definition.States.U.TimeoutSeconds".to_owned(),
                    "a timeout of 0 seconds; allowed: 1 or more".to_owned()
                ),
            ]
        );
    }
}
