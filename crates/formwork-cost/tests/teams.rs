//! The teams' own price tables, reproduced line by line from their own
//! assumptions, and where the region's prices differ from what they wrote.
//!
//! Both teams priced with us-east-1 unit prices although they deploy to
//! ap-northeast-1; weather-service (C) counted 744 hours (a 31-day month),
//! session-store (E) 730.

use formwork_cost::{PriceTable, RegionPrices, StackEstimate, StackInput, estimate_stack};
use serde_json::{Value as Json, json};

fn prices(region: &str) -> PriceTable {
    let _ = region;
    PriceTable::builtin().expect("the shipped table")
}

fn price(template: &Json, region: &str) -> StackEstimate {
    estimate_stack(
        &StackInput {
            name: "Team",
            region: Some(region),
            template,
        },
        &prices(region),
    )
}

fn line(e: &StackEstimate, resource: &str) -> f64 {
    e.lines
        .iter()
        .filter(|l| l.resource == resource)
        .map(|l| l.monthly)
        .sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.015
}

/// weather-service's resources, with the usage the team assumed.
fn weather(tasks_public_ip: bool) -> Json {
    json!({
        "Metadata": {"Formwork::Cost": {"Usage": {
            "*": {"hours": 744.0},
            "LoadBalancer": {"lcu": 0.988},
            "CacheFileSystem": {"gb": 10.0},
            "LogGroup": {"gb": 5.0, "stored_gb": 0.0},
            "ApiKeys": {"secrets": 4.0}
        }}},
        "Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "1024", "Memory": "2048", "RequiresCompatibilities": ["FARGATE"]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}, "DesiredCount": 1,
                "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": if tasks_public_ip { "ENABLED" } else { "DISABLED" }}}}},
            "LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internal"}},
            "CacheFileSystem": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
            "LogGroup": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
            "ApiKeys": {"Type": "AWS::SecretsManager::Secret", "Properties": {}}
        }
    })
}

#[test]
fn weather_service_five_lines_and_total_as_the_team_wrote_them() {
    let e = price(&weather(false), "us-east-1");
    // Fargate 1 vCPU / 2 GB × 1 task: $36.72.
    assert!(close(line(&e, "Service"), 36.72), "{}", line(&e, "Service"));
    // ALB: $22.62 (744 h, about one LCU: 0.988 on average).
    assert!(
        close(line(&e, "LoadBalancer"), 22.62),
        "{}",
        line(&e, "LoadBalancer")
    );
    // EFS 10 GB: $3.00.
    assert!(close(line(&e, "CacheFileSystem"), 3.00));
    // CloudWatch Logs 5 GB: $2.50 (ingestion; the team priced no storage).
    assert!(close(line(&e, "LogGroup"), 2.50));
    // Secrets Manager × 4: $1.60.
    assert!(close(line(&e, "ApiKeys"), 1.60));
    // Total: $66.44, "about $67".
    assert!(close(e.total(), 66.44), "{}", e.total());
    // Under autoscaling the team wrote 2–3 tasks, $100–140: the range at 2
    // and 3 tasks is $103.18 to $139.91.
    let mut t = weather(false);
    t["Metadata"]["Formwork::Cost"]["Usage"]["Service"] =
        json!({"min_tasks": 2.0, "max_tasks": 3.0});
    let e = price(&t, "us-east-1");
    assert!(
        close(e.min(), 103.18) && close(e.max(), 139.91),
        "{} {}",
        e.min(),
        e.max()
    );
}

#[test]
fn weather_service_in_ap_northeast_1_costs_more_than_the_team_wrote() {
    // Tokyo prices, 730 h, the team's usage otherwise.
    let mut t = weather(false);
    t["Metadata"]["Formwork::Cost"]["Usage"]["*"]["hours"] = json!(730.0);
    let e = price(&t, "ap-northeast-1");
    // Fargate: $0.05056/vCPU-h and $0.00553/GB-h, not $0.04048 and $0.004445: $44.98, not $36.72.
    assert!(close(line(&e, "Service"), 44.98), "{}", line(&e, "Service"));
    // ALB: $0.0243/h: $17.74 + LCUs $5.77 = $23.51, not $22.62.
    assert!(
        close(line(&e, "LoadBalancer"), 23.51),
        "{}",
        line(&e, "LoadBalancer")
    );
    // EFS Standard $0.36/GB-month: $3.60, not $3.00.
    assert!(close(line(&e, "CacheFileSystem"), 3.60));
    // Logs ingestion $0.76/GB: $3.80, not $2.50.
    assert!(close(line(&e, "LogGroup"), 3.80));
    // Secrets: the same $0.40 each.
    assert!(close(line(&e, "ApiKeys"), 1.60));
    assert!(close(e.total(), 77.49), "{}", e.total());
}

#[test]
fn session_store_table_as_the_team_wrote_it() {
    // ElastiCache $12, S3 $0.03, transfer $0.90, Fargate 0.5 vCPU / 1 GB $15: $28.
    let team = json!({
        "Metadata": {"Formwork::Cost": {"Usage": {
            "*": {"hours": 730.0, "internet_gb": 10.0},
            "SessionsBucket": {"gb": 1.0, "put_requests": 1000.0, "get_requests": 0.0}
        }}},
        "Resources": {
            "Redis": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {"CacheNodeType": "cache.t3.micro", "NumCacheNodes": 1}},
            "SessionsBucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "512", "Memory": "1024", "RequiresCompatibilities": ["FARGATE"]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}, "DesiredCount": 1}}
        }
    });
    let e = price(&team, "us-east-1");
    assert!(
        close(line(&e, "Redis"), 12.41),
        "ElastiCache $12: 730 h × $0.017"
    );
    assert!(
        close(line(&e, "SessionsBucket"), 0.03),
        "{}",
        line(&e, "SessionsBucket")
    );
    assert!(close(line(&e, "(stack)"), 0.90), "transfer: 10 GB × $0.09");
    // The team's $15 is the vCPU alone (0.5 × $0.04048 × 730 h = $14.78);
    // the task's 1 GB adds $3.24 the table leaves out.
    let vcpu = e
        .lines
        .iter()
        .find(|l| l.item == "Fargate vCPU")
        .map(|l| l.monthly);
    let memory = e
        .lines
        .iter()
        .find(|l| l.item == "Fargate memory")
        .map(|l| l.monthly);
    assert!(close(vcpu.unwrap_or(0.0), 14.78));
    assert!(close(memory.unwrap_or(0.0), 3.24));
    // With the vCPU line alone the table is the team's $28.
    assert!(
        close(e.total() - memory.unwrap_or(0.0), 28.12),
        "{}",
        e.total()
    );
    // In ap-northeast-1: ElastiCache $18.98, Fargate $22.49, S3 $0.03,
    // transfer $1.14: $42.64, before the load balancer and NAT gateway the
    // design needs and the table has no line for.
    let tokyo = price(&team, "ap-northeast-1");
    assert!(close(line(&tokyo, "Redis"), 18.98));
    assert!(
        close(line(&tokyo, "Service"), 22.49),
        "{}",
        line(&tokyo, "Service")
    );
    assert!(close(line(&tokyo, "(stack)"), 1.14));
    assert!(close(tokyo.total(), 42.64), "{}", tokyo.total());
}

#[test]
fn a_unit_price_can_be_replaced_for_a_what_if() {
    let p: RegionPrices = prices("us-east-1")
        .region("us-east-1")
        .expect("us-east-1")
        .with("fargate_vcpu_hour", 0.0);
    assert_eq!(p.get("fargate_vcpu_hour"), Some(0.0));
}
