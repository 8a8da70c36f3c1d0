//! `cargo bench -p formwork-l1 --features s3,iam,lambda,logs,sqs`: building
//! and synthesizing (validation included) apps of 10 to 5,000 L1 resources,
//! spread over stacks of at most 250, with references inside and across
//! stacks. Prints the median time of each phase and the peak resident
//! memory of a process that builds and synthesizes one app of that size
//! (each size runs in its own process, read from `/proc/self/status`).
//!
//! No timing is asserted anywhere: figures go to `docs/performance.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use formwork_core::{App, Fn, Output, Value};
use formwork_l1::iam::{CfnRole, role};
use formwork_l1::lambda::{CfnFunction, function};
use formwork_l1::logs::CfnLogGroup;
use formwork_l1::s3::{CfnBucket, bucket};
use formwork_l1::sqs::CfnQueue;

const PER_STACK: usize = 250;

/// Five resources per unit: a bucket, a queue, a log group, a role and a
/// function that references the other four (and the previous stack's bucket).
fn build(resources: usize) -> App {
    let app = App::new();
    let units = resources.div_ceil(5);
    let mut stack = None;
    let mut prev_bucket: Option<formwork_l1::s3::CfnBucketRef> = None;
    for u in 0..units {
        if u * 5 % PER_STACK == 0 {
            let s = app
                .stack(&format!("Stack{}", u * 5 / PER_STACK))
                .expect("stack");
            stack = Some(s);
        }
        let s = stack.as_ref().expect("stack");
        let b = s
            .add(
                &format!("Bucket{u}"),
                CfnBucket::new().versioning_configuration(
                    bucket::VersioningConfiguration::new()
                        .status(bucket::VersioningConfigurationStatus::Enabled),
                ),
            )
            .expect("bucket");
        let q = s
            .add(&format!("Queue{u}"), CfnQueue::new().visibility_timeout(60))
            .expect("queue");
        let lg = s
            .add(
                &format!("Logs{u}"),
                CfnLogGroup::new().retention_in_days(14),
            )
            .expect("logs");
        let policy = Value::object([
            ("Version", Value::from("2012-10-17")),
            (
                "Statement",
                Value::list([Value::object([
                    ("Effect", Value::from("Allow")),
                    ("Action", Value::list(["s3:GetObject", "sqs:SendMessage"])),
                    (
                        "Resource",
                        Value::list([
                            Fn::concat([b.arn().into(), Value::from("/*")]).into(),
                            Value::from(q.arn()),
                        ]),
                    ),
                ])]),
            ),
        ]);
        let r = s
            .add(
                &format!("Role{u}"),
                CfnRole::new()
                    .assume_role_policy_document(Value::object([("Version", "2012-10-17")]))
                    .policies([role::Policy::new().policy_name("p").policy_document(policy)]),
            )
            .expect("role");
        let mut vars = vec![
            ("BUCKET", Value::from(b.ref_())),
            ("LOGS", Value::from(lg.ref_())),
        ];
        if let Some(p) = &prev_bucket {
            vars.push(("PREVIOUS", Value::from(p.ref_())));
        }
        s.add(
            &format!("Fn{u}"),
            CfnFunction::new()
                .runtime(function::Runtime::Python312)
                .handler("index.handler")
                .role(r.arn())
                .memory_size(256)
                .code(function::Code::new().zip_file("def handler(e, c):\n    return e\n"))
                .environment(function::Environment::new().variables(vars)),
        )
        .expect("function");
        if u % 50 == 0 {
            s.add_output(&format!("Bucket{u}Arn"), Output::new(b.arn()))
                .expect("output");
        }
        prev_bucket = Some(b);
    }
    app
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Peak resident set size of this process, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn one(n: usize) {
    let runs = if n >= 5_000 { 5 } else { 21 };
    let (mut builds, mut synths, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = 0;
    let mut stacks = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let app = build(n);
        let t1 = Instant::now();
        let asm = black_box(app.synth()).expect("synth");
        let t2 = Instant::now();
        builds.push(t1 - t0);
        synths.push(t2 - t1);
        totals.push(t2 - t0);
        bytes = asm.stacks.iter().map(|s| s.template.len()).sum::<usize>();
        stacks = asm.stacks.len();
    }
    let rss = peak_rss_kib().map_or("n/a".to_owned(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    });
    println!(
        "{n:>9} {stacks:>7} {:>12.3?} {:>12.3?} {:>12.3?} {rss:>12} {bytes:>12}",
        median(builds),
        median(synths),
        median(totals),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--one") {
        let n = args.get(pos + 1).and_then(|v| v.parse().ok()).unwrap_or(10);
        one(n);
        return;
    }
    println!(
        "{:>9} {:>7} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "resources", "stacks", "build", "synth", "total", "peak RSS", "bytes out"
    );
    let me = std::env::current_exe().expect("bench binary");
    for n in [10usize, 100, 1_000, 5_000] {
        let out = std::process::Command::new(&me)
            .args(["--one", &n.to_string()])
            .output()
            .expect("run one size");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
}
