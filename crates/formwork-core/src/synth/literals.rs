//! Checks of literal values wherever they are in a template: numbers JSON
//! cannot hold, `Fn::Select` past the end of a literal list or of the
//! region's availability zones, `Fn::GetAZs` of a region AWS does not have,
//! and malformed dynamic references.

use crate::diag::{Diagnostic, codes};
use crate::expr::{Intrinsic, Pseudo};
use crate::spec::Region;
use crate::value::Value;

use super::validate::dynamic_parts;

/// Where values are checked: the construct path, the stack's region and
/// the regions synth knows (empty: no region facts).
pub(crate) struct Literals<'a> {
    pub(crate) path: &'a str,
    pub(crate) region: Option<&'a str>,
    pub(crate) regions: &'a [Region],
    pub(crate) out: &'a mut Vec<Diagnostic>,
}

/// Appends `[i]` (`write!` costs several hundred instructions a call in a
/// debug build, and every list item of every property gets one).
fn push_index(at: &mut String, i: usize) {
    at.push('[');
    formwork_kernels::push_decimal(at, i as u64);
    at.push(']');
}

impl Literals<'_> {
    fn error(&mut self, code: &'static str, at: &str, message: String) -> &mut Diagnostic {
        let mut d = Diagnostic::error(code, self.path, message);
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
        let mut at = at.to_owned();
        self.walk(v, &mut at);
    }

    /// Checks `v`, found at property path `at`: the path grows and shrinks
    /// in one buffer as the walk goes down and up, so that a clean value
    /// costs no path.
    fn walk(&mut self, v: &Value, at: &mut String) {
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
            Value::String(s) if s.as_bytes().contains(&b'{') && s.contains("{{resolve:") => {
                self.dynamic(s, at)
            }
            Value::List(items) => {
                let len = at.len();
                for (i, item) in items.iter().enumerate() {
                    push_index(at, i);
                    self.walk(item, at);
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
                    self.walk(item, at);
                    at.truncate(len);
                }
            }
            Value::Unchecked(inner) => self.walk(inner, at),
            Value::Expr(e) => {
                let i = e.intrinsic();
                match i {
                    Intrinsic::Select(index, list) => self.select(index, list, at),
                    Intrinsic::GetAzs(Value::String(r)) if !r.is_empty() => self.region(r, at),
                    _ => {}
                }
                i.walk_values(&mut |inner| self.walk(inner, at));
            }
            _ => {}
        }
    }

    /// A region name given in the code: refused when the region facts do
    /// not know it.
    pub(crate) fn region(&mut self, region: &str, at: &str) {
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

    fn select(&mut self, index: &Value, list: &Value, at: &str) {
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

    fn dynamic(&mut self, s: &str, at: &str) {
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
            let mut at = String::from("Tags");
            push_index(&mut at, i);
            assert_eq!(at, format!("Tags[{i}]"));
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
