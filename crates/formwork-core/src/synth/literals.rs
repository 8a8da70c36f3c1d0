//! Checks of literal values wherever they are in a template: numbers JSON
//! cannot hold, `Fn::Select` past the end of a literal list or of the
//! region's availability zones, `Fn::GetAZs` of a region AWS does not have,
//! and malformed dynamic references.

use crate::diag::{Diagnostic, codes};
use crate::expr::{Intrinsic, Pseudo};
use crate::spec::Region;
use crate::value::Value;

use super::validate::{At, dynamic_parts};

/// A value the literal checks pass over: a boolean, an integer, a null,
/// or a string without `{` (no dynamic reference).
fn is_plain(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(_) | Value::Int(_) => true,
        Value::String(s) => !formwork_kernels::has_byte(s, b'{'),
        _ => false,
    }
}

/// Where values are checked: the construct path, the stack's region and
/// the regions synth knows (empty: no region facts).
pub(crate) struct Literals<'a> {
    pub(crate) path: &'a str,
    pub(crate) region: Option<&'a str>,
    pub(crate) regions: &'a [Region],
    pub(crate) out: &'a mut Vec<Diagnostic>,
}

impl Literals<'_> {
    fn error(&mut self, code: &'static str, at: &At<'_>, message: String) -> &mut Diagnostic {
        let mut d = Diagnostic::error(code, self.path, message);
        let at = at.render();
        if !at.is_empty() {
            d = d.property(at);
        }
        self.out.push(d);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// The zones of a region, when the region facts know it.
    fn zones(&self, region: &str) -> Option<u8> {
        self.regions
            .iter()
            .find(|r| r.name == region)
            .map(|r| r.zones)
    }

    /// Checks `v`, found at property path `at`.
    pub(crate) fn value(&mut self, v: &Value, at: &str) {
        self.walk(v, &At::Base(at));
    }

    /// Checks `v`, found at property path `at`, written out only for a
    /// finding (a clean value costs no path).
    pub(crate) fn walk(&mut self, v: &Value, at: &At<'_>) {
        self.walk_with(v, at, &mut |_| {});
    }

    /// [`Literals::walk`], handing every intrinsic function met to
    /// `on_expr` as well, depth first in the order of
    /// [`Value::walk_exprs`]: the reference analysis checks a resource's
    /// properties in the same walk.
    pub(crate) fn walk_with<'v>(
        &mut self,
        v: &'v Value,
        at: &At<'_>,
        on_expr: &mut dyn FnMut(&'v crate::expr::Expr),
    ) {
        match v {
            Value::Float(f) if !f.is_finite() => {
                self.error(
                    codes::NON_FINITE,
                    at,
                    format!(
                        "{f} is not a number a template can hold (JSON has no NaN or infinity)"
                    ),
                )
                .fix = Some("use a finite number".to_owned());
            }
            // A byte search first: most strings have no `{` at all.
            Value::String(s) if formwork_kernels::has_byte(s, b'{') && s.contains("{{resolve:") => {
                self.dynamic(s, at)
            }
            Value::List(items) => {
                let mut i = 0;
                while i < items.len() {
                    let item = &items[i];
                    if !is_plain(item) {
                        self.walk_with(item, &At::Index(at, i), on_expr);
                    }
                    i += 1;
                }
            }
            Value::Map(m) => {
                for (k, item) in m.iter() {
                    if !is_plain(item) {
                        self.walk_with(item, &At::Prop(at, k), on_expr);
                    }
                }
            }
            Value::Unchecked(inner) => self.walk_with(inner, at, on_expr),
            Value::Expr(e) => {
                on_expr(e);
                let i = e.intrinsic();
                match i {
                    Intrinsic::Select(index, list) => self.select(index, list, at),
                    Intrinsic::GetAzs(Value::String(r)) if !r.is_empty() => self.region(r, at),
                    _ => {}
                }
                i.walk_values(&mut |inner| self.walk_with(inner, at, on_expr));
            }
            _ => {}
        }
    }

    /// A region name given in the code: refused when the region facts do
    /// not know it.
    pub(crate) fn region(&mut self, region: &str, at: &At<'_>) {
        if self.regions.is_empty() || self.zones(region).is_some() {
            return;
        }
        let hint = crate::suggest::closest(region, self.regions.iter().map(|r| r.name));
        let d = self.error(
            codes::UNKNOWN_REGION,
            at,
            format!("{region:?} is not an AWS region"),
        );
        d.fix = hint.map(|h| format!("did you mean {h:?}?"));
    }

    fn select(&mut self, index: &Value, list: &Value, at: &At<'_>) {
        let i = match index {
            Value::Int(i) => *i,
            Value::String(s) => match s.parse::<i64>() {
                Ok(i) => i,
                Err(_) => return,
            },
            _ => return,
        };
        if i < 0 {
            self.error(
                codes::SELECT_RANGE,
                at,
                format!("Fn::Select index {i} is negative"),
            );
            return;
        }
        let i = i as u64;
        match list {
            Value::List(items) if i >= items.len() as u64 => {
                self.error(
                    codes::SELECT_RANGE,
                    at,
                    format!(
                        "Fn::Select index {i} is past the end of a list of {} item(s)",
                        items.len()
                    ),
                );
            }
            Value::Expr(e) => {
                let Intrinsic::GetAzs(r) = e.intrinsic() else {
                    return;
                };
                let region = match r {
                    Value::String(s) if !s.is_empty() => Some(s.as_str()),
                    Value::String(_) => self.region,
                    Value::Expr(p)
                        if matches!(p.intrinsic(), Intrinsic::Pseudo(Pseudo::Region)) =>
                    {
                        self.region
                    }
                    _ => None,
                };
                let Some(region) = region else { return };
                let Some(zones) = self.zones(region) else {
                    return;
                };
                if i >= u64::from(zones) {
                    self.error(
                        codes::SELECT_RANGE,
                        at,
                        format!(
                            "Fn::Select index {i} of Fn::GetAZs: {region} has {zones} availability zones (indexes 0 to {}), so zone {} does not exist",
                            zones - 1,
                            i + 1
                        ),
                    )
                    .fix = Some(format!("use at most {zones} zones in {region}"));
                }
            }
            _ => {}
        }
    }

    fn dynamic(&mut self, s: &str, at: &At<'_>) {
        let (_, refs) = dynamic_parts(s);
        for r in refs {
            if let Some(why) = dynamic_problem(r) {
                self.error(
                    codes::DYNAMIC_REFERENCE,
                    at,
                    format!("dynamic reference {r:?} cannot be resolved: {why}"),
                )
                .fix = Some(
                    "write {{resolve:ssm:NAME}}, {{resolve:ssm-secure:NAME:VERSION}} or {{resolve:secretsmanager:ID[:SecretString[:KEY[:STAGE[:VERSION]]]]}}"
                        .to_owned(),
                );
            }
        }
    }
}

fn dynamic_problem(r: &str) -> Option<String> {
    let Some(body) = r
        .strip_prefix("{{resolve:")
        .and_then(|b| b.strip_suffix("}}"))
    else {
        return Some("it has no closing `}}`".to_owned());
    };
    let (service, rest) = body.split_once(':').unwrap_or((body, ""));
    match service {
        "ssm" | "ssm-secure" | "secretsmanager" => {}
        other => {
            return Some(format!(
                "`{other}` is not a service CloudFormation resolves (ssm, ssm-secure, secretsmanager)"
            ));
        }
    }
    if rest.is_empty() || rest.starts_with(':') {
        return Some(format!("it names no {service} parameter or secret"));
    }
    if service == "secretsmanager" {
        // An ARN holds colons of its own: count the fields after it.
        let fields: Vec<&str> = if rest.starts_with("arn:") {
            rest.splitn(8, ':')
                .skip(7)
                .flat_map(|t| t.split(':'))
                .collect()
        } else {
            rest.split(':').skip(1).collect()
        };
        if fields.len() > 4 {
            return Some("it has more than SecretString, a JSON key, a version stage and a version id after the secret".to_owned());
        }
        if let Some(kind) = fields.first().filter(|k| !k.is_empty()) {
            if *kind != "SecretString" {
                return Some(format!(
                    "`{kind}` where `SecretString` belongs (the only value Secrets Manager references take)"
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_indexes_are_written_as_format_writes_them() {
        for i in [0usize, 7, 10, 99, 100, 12_345, usize::MAX] {
            let base = At::Base("Tags");
            assert_eq!(At::Index(&base, i).render(), format!("Tags[{i}]"));
        }
    }

    use crate::Fn;

    const REGIONS: &[Region] = &[
        Region {
            name: "ap-northeast-1",
            zones: 3,
        },
        Region {
            name: "us-east-1",
            zones: 6,
        },
    ];

    fn run(v: Value, region: Option<&str>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        Literals {
            path: "S/R",
            region,
            regions: REGIONS,
            out: &mut out,
        }
        .value(&v, "P");
        out
    }

    /// The walk as it was written first, with the property path built
    /// eagerly in a string for every value: the reference the lazy path
    /// and the skipped plain values are compared with.
    fn eager(lit: &mut Literals<'_>, v: &Value, at: &mut String) {
        match v {
            Value::List(items) => {
                let len = at.len();
                for (i, item) in items.iter().enumerate() {
                    at.push_str(&format!("[{i}]"));
                    eager(lit, item, at);
                    at.truncate(len);
                }
            }
            Value::Map(m) => {
                let len = at.len();
                for (k, item) in m {
                    if len > 0 {
                        at.push('.');
                    }
                    at.push_str(k);
                    eager(lit, item, at);
                    at.truncate(len);
                }
            }
            Value::Unchecked(inner) => eager(lit, inner, at),
            Value::Expr(e) => {
                let i = e.intrinsic();
                // The checks of one intrinsic, at the path written out.
                let base = At::Base(at);
                match i {
                    Intrinsic::Select(index, list) => lit.select(index, list, &base),
                    Intrinsic::GetAzs(Value::String(r)) if !r.is_empty() => lit.region(r, &base),
                    _ => {}
                }
                i.walk_values(&mut |inner| eager(lit, inner, &mut at.clone()));
            }
            other => lit.walk(other, &At::Base(at)),
        }
    }

    fn random_value(rng: &mut crate::test_rng::Rng, depth: usize) -> Value {
        let leaf = depth > 3 || rng.chance(40);
        match rng.below(if leaf { 8 } else { 12 }) {
            0 => Value::Null,
            1 => Value::from(rng.chance(50)),
            2 => Value::from(rng.below(5) as i64),
            3 => Value::from(*rng.pick(&[1.5, f64::NAN, f64::INFINITY])),
            4 => Value::from(*rng.pick(&[
                "plain",
                "a{b}",
                "{{resolve:ssm:/x}}",
                "{{resolve:vault:x}}",
                "x{{resolve:ssm:",
            ])),
            5 => Fn::get_azs(*rng.pick(&["", "us-east-1", "xx-nowhere-1"])).into(),
            6 => Fn::select(
                rng.below(8) as i64 - 1,
                Fn::get_azs(*rng.pick(&["", "us-east-1", "ap-northeast-1"])),
            )
            .into(),
            7 => Value::from(Fn::ref_name("X")),
            8 | 9 => Value::List(
                (0..rng.index(4))
                    .map(|_| random_value(rng, depth + 1))
                    .collect(),
            ),
            10 => Fn::select(
                rng.below(4) as i64,
                Value::List(
                    (0..rng.index(4))
                        .map(|_| random_value(rng, depth + 1))
                        .collect(),
                ),
            )
            .into(),
            _ => Value::Map(
                (0..rng.index(4))
                    .map(|i| (format!("K{i}"), random_value(rng, depth + 1)))
                    .collect(),
            ),
        }
    }

    /// Property: the walk with a lazy path, passing over plain values,
    /// finds what the eager walk finds, with the same paths and messages.
    #[test]
    fn the_lazy_walk_finds_what_the_eager_walk_finds() {
        let mut rng = crate::test_rng::Rng(0x117E_4A15_0000_0001);
        let mut found = 0;
        for _ in 0..3000 {
            let v = random_value(&mut rng, 0);
            let region = *rng.pick(&[None, Some("ap-northeast-1")]);
            let start = *rng.pick(&["", "P", "Metadata.k"]);
            let mut lazy = Vec::new();
            Literals {
                path: "S/R",
                region,
                regions: REGIONS,
                out: &mut lazy,
            }
            .value(&v, start);
            let mut want = Vec::new();
            let mut lit = Literals {
                path: "S/R",
                region,
                regions: REGIONS,
                out: &mut want,
            };
            eager(&mut lit, &v, &mut start.to_owned());
            assert_eq!(lazy, want, "{v:?}");
            found += want.len();
        }
        assert!(found > 500, "the values have findings to compare: {found}");
    }

    #[test]
    fn non_finite_numbers_anywhere() {
        let d = run(Value::list([Value::from(f64::NAN)]), None);
        assert_eq!(d[0].code, codes::NON_FINITE);
        assert_eq!(d[0].property.as_deref(), Some("P[0]"));
        assert!(run(Value::from(1.5), None).is_empty());
    }

    #[test]
    fn select_past_literal_lists_and_zones() {
        let d = run(Fn::select(2, Value::list(["a", "b"])).into(), None);
        assert_eq!(d[0].code, codes::SELECT_RANGE);
        assert!(run(Fn::select(1, Value::list(["a", "b"])).into(), None).is_empty());
        let four = Value::from(Fn::select(3, Fn::get_azs("")));
        let d = run(four.clone(), Some("ap-northeast-1"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .contains("ap-northeast-1 has 3 availability zones")
        );
        assert!(run(four.clone(), Some("us-east-1")).is_empty());
        assert!(
            run(four, None).is_empty(),
            "an agnostic stack is not judged"
        );
        let d = run(
            Fn::select(3, Fn::get_azs(Pseudo::Region)).into(),
            Some("ap-northeast-1"),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            run(Fn::select(-1, Value::list(["a"])).into(), None).len(),
            1
        );
    }

    #[test]
    fn unknown_regions_in_get_azs() {
        let d = run(Fn::get_azs("ap-northeast-9").into(), None);
        assert_eq!(d[0].code, codes::UNKNOWN_REGION);
        assert!(run(Fn::get_azs("us-east-1").into(), None).is_empty());
        let d = run(Fn::get_azs("us-east1").into(), None);
        assert_eq!(d[0].fix.as_deref(), Some("did you mean \"us-east-1\"?"));
    }

    #[test]
    fn dynamic_references_are_checked_for_syntax() {
        for ok in [
            "{{resolve:ssm:/app/x}}",
            "{{resolve:ssm-secure:/app/x:3}}",
            "pre-{{resolve:secretsmanager:MySecret:SecretString:password}}-post",
            "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf:SecretString:k::}}",
        ] {
            assert!(run(Value::from(ok), None).is_empty(), "{ok}");
        }
        for bad in [
            "{{resolve:ssm:/x",
            "{{resolve:vault:x}}",
            "{{resolve:ssm:}}",
            "{{resolve:secretsmanager:s:SecretBinary}}",
        ] {
            let d = run(Value::from(bad), None);
            assert_eq!(d.len(), 1, "{bad}");
            assert_eq!(d[0].code, codes::DYNAMIC_REFERENCE);
        }
    }
}
