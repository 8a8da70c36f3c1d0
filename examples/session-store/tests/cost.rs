//! `cost` of the example against the team's $28: what the team priced, and
//! what the design adds that their table has no line for.

use formwork::Context;
use formwork::cost::{PriceTable, estimate};

#[test]
fn the_design_against_the_teams_28_dollars() {
    let asm = session_store::app(&Context::new())
        .and_then(|a| a.synth())
        .expect("the example synthesizes");
    let e = estimate(&asm, &PriceTable::builtin().expect("the shipped table"));
    let text = e.to_text();
    println!("{text}");
    let sum = |ty: &str| -> f64 {
        e.lines()
            .filter(|(_, l)| l.resource_type == ty)
            .map(|(_, l)| l.monthly)
            .sum()
    };
    let cents = |n: f64| format!("{n:.2}");
    assert_eq!(e.budget(), Some(28.0));
    // The team's lines, in ap-northeast-1: ElastiCache $18.98 (not $12),
    // Fargate 0.5 vCPU / 1 GB $22.49 (not $15: the team priced the vCPU
    // alone, at us-east-1's price), transfer 10 GB $1.14 (not $0.90).
    assert_eq!(cents(sum("AWS::ElastiCache::CacheCluster")), "18.98");
    assert_eq!(
        cents(
            e.lines()
                .filter(|(_, l)| l.item.starts_with("Fargate"))
                .map(|(_, l)| l.monthly)
                .sum()
        ),
        "22.49"
    );
    assert_eq!(cents(sum("data transfer")), "1.14");
    // What the design needs and the table leaves out: the load balancer
    // and the NAT gateway, each more than the team's whole budget.
    assert_eq!(cents(sum("AWS::EC2::NatGateway")), "45.88");
    assert!(sum("AWS::ElasticLoadBalancingV2::LoadBalancer") > 23.0);
    assert!(e.over_budget());
    // The figures the crate documentation states against the budget.
    assert_eq!(cents(e.total()), "127.02");
    assert!(text.contains("Budget $28.00: over by $99.02"), "{text}");
    assert!(text.contains("Cheapest fix: no NAT gateway"), "{text}");
    assert!(text.contains("(saves $42.23 a month)"), "{text}");
    assert!(e.stacks.iter().all(|s| s.not_priced.is_empty()), "{text}");
}
