//! `cost` of the example against the team's $67: the team's five lines,
//! priced in ap-northeast-1, and the departures named with their figures.

use formwork::Context;
use formwork::cost::{Estimate, PriceTable, estimate};

fn estimate_of(ctx: &Context) -> Estimate {
    let asm = weather_service::app(ctx)
        .and_then(|a| a.synth())
        .expect("the example synthesizes");
    estimate(&asm, &PriceTable::builtin().expect("the shipped table"))
}

fn monthly(e: &Estimate, resource: &str, item: &str) -> f64 {
    e.lines()
        .filter(|(_, l)| l.resource == resource && l.item.starts_with(item))
        .map(|(_, l)| l.monthly)
        .sum()
}

fn cents(n: f64) -> String {
    format!("{n:.2}")
}

#[test]
fn the_teams_five_lines_priced_in_ap_northeast_1() {
    let e = estimate_of(&Context::new());
    println!("{}", e.to_text());
    assert_eq!(e.budget(), Some(67.0));
    // The team's lines: Fargate $36.72, ALB $22.62, EFS $3.00, Logs $2.50,
    // Secrets × 4 $1.60 (us-east-1 prices, 744 h). In ap-northeast-1 at
    // 730 h:
    assert_eq!(cents(monthly(&e, "Service", "Fargate")), "44.98");
    assert_eq!(
        cents(
            monthly(&e, "LoadBalancer", "Application Load Balancer hours")
                + monthly(&e, "LoadBalancer", "Load balancer capacity")
        ),
        "23.58"
    );
    assert_eq!(cents(monthly(&e, "CacheFileSystem", "EFS")), "3.60");
    assert_eq!(
        cents(monthly(
            &e,
            "TaskDefinitionAppLogGroup",
            "CloudWatch Logs ingestion"
        )),
        "3.80"
    );
    // One JSON secret with four keys, not four secrets: $0.40, not $1.60.
    assert_eq!(cents(monthly(&e, "ApiKeys", "Secrets Manager")), "0.40");
    // Departures the team's table has no line for: public IPv4 addresses
    // (billed since February 2024) of the task and of the load balancer's
    // two zones, log storage, the image repository.
    assert_eq!(cents(monthly(&e, "Service", "Public IPv4")), "3.65");
    assert_eq!(cents(monthly(&e, "LoadBalancer", "Public IPv4")), "7.30");
    // No NAT gateway in the default design.
    assert!(e.lines().all(|(_, l)| !l.item.starts_with("NAT")));
    // The dashboard of the team's metrics: $3.
    assert_eq!(
        cents(monthly(&e, "Dashboard", "CloudWatch dashboard")),
        "3.00"
    );
    // Image storage in the repository stack.
    assert_eq!(cents(monthly(&e, "Repository", "ECR")), "0.10");
    assert_eq!(cents(e.total()), "90.58");
    assert!(e.over_budget());
    // Autoscaling: 1 to 4 tasks.
    assert_eq!(cents(e.max() - e.min()), "145.90");
    assert_eq!(cents(e.max()), "236.47");
    let text = e.to_text();
    assert!(text.contains("Budget $67.00: over by $23.58"), "{text}");
    assert!(
        text.contains("Cheapest fix: run `Service` on ARM64 (Graviton) Fargate"),
        "{text}"
    );
    assert!(e.stacks.iter().all(|s| s.not_priced.is_empty()), "{text}");
}

#[test]
fn the_private_subnet_variant_adds_the_nat_gateway() {
    let e = estimate_of(&Context::new().with_value("private_subnets", "true"));
    let nat: f64 = e
        .lines()
        .filter(|(_, l)| l.resource_type == "AWS::EC2::NatGateway")
        .map(|(_, l)| l.monthly)
        .sum();
    // 730 h × $0.062 + 10 GB × $0.062.
    assert_eq!(cents(nat), "45.88");
    // Its Elastic IP replaces the task's public address.
    assert!(
        e.lines()
            .all(|(_, l)| !(l.resource == "Service" && l.item.starts_with("Public IPv4")))
    );
    assert_eq!(cents(e.total()), "136.46");
    assert!(e.to_text().contains("Budget $67.00: over by $69.46"));
    let fix = e.cheapest_fix().expect("a fix");
    assert!(fix.what.contains("no NAT gateway"), "{}", fix.what);
}
