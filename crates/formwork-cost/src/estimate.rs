//! The engine: from templates (and the usage their metadata declares) to
//! priced lines, one or more per resource.

use serde_json::Value as Json;

use crate::assumptions::defaults;
use crate::prices::{PriceTable, RegionPrices};
use crate::usage::{ALL, METADATA_KEY, Usage};

/// The region a stack without one is priced in.
pub const FALLBACK_REGION: &str = "us-east-1";

/// One stack to price.
#[derive(Clone, Copy, Debug)]
pub struct StackInput<'a> {
    /// The stack name.
    pub name: &'a str,
    /// Its region (`None`: environment-agnostic).
    pub region: Option<&'a str>,
    /// Its template.
    pub template: &'a Json,
}

/// A way to spend less on a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// What to change.
    pub what: String,
    /// What it saves a month (USD).
    pub saves: f64,
}

/// One priced line: a resource, what is charged, the assumption behind
/// it, and the monthly amount (at the assumed usage, and at the minimum and
/// maximum capacity autoscaling allows).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The resource's logical id.
    pub resource: String,
    /// Its CloudFormation type.
    pub resource_type: String,
    /// What is charged (`Fargate vCPU`).
    pub item: String,
    /// The quantities and unit price (`1 vCPU × 1 task × 730 h × $0.05056/vCPU-h`).
    pub assumption: String,
    /// USD a month at the assumed usage.
    pub monthly: f64,
    /// USD a month at the minimum capacity.
    pub min: f64,
    /// USD a month at the maximum capacity.
    pub max: f64,
    /// A cheaper way, if one is known.
    pub fix: Option<Fix>,
}

/// A resource the engine does not price, and why: it is listed, never
/// counted as zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotPriced {
    /// The resource's logical id.
    pub resource: String,
    /// Its CloudFormation type.
    pub resource_type: String,
    /// Why.
    pub reason: String,
}

/// The estimate of one stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackEstimate {
    /// The stack name.
    pub name: String,
    /// The region priced.
    pub region: String,
    /// True when the stack names no region and [`FALLBACK_REGION`] was used.
    pub region_assumed: bool,
    /// The priced lines.
    pub lines: Vec<Line>,
    /// Resources not priced.
    pub not_priced: Vec<NotPriced>,
    /// Resources with no charge of their own.
    pub free: usize,
    /// The budget the stack's metadata declares.
    pub budget: Option<f64>,
}

impl StackEstimate {
    /// USD a month at the assumed usage.
    pub fn total(&self) -> f64 {
        self.lines.iter().map(|l| l.monthly).sum()
    }
    /// USD a month at minimum capacity.
    pub fn min(&self) -> f64 {
        self.lines.iter().map(|l| l.min).sum()
    }
    /// USD a month at maximum capacity.
    pub fn max(&self) -> f64 {
        self.lines.iter().map(|l| l.max).sum()
    }
}

/// Types that cost nothing of their own (what they make is billed
/// elsewhere, or not at all).
const FREE: &[&str] = &[
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::OIDCProvider",
    "AWS::IAM::InstanceProfile",
    "AWS::ECS::Cluster",
    "AWS::ECS::TaskDefinition",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::EFS::MountTarget",
    "AWS::EFS::AccessPoint",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::ParameterGroup",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Url",
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApplicationAutoScaling::ScalableTarget",
    "AWS::ApplicationAutoScaling::ScalingPolicy",
    "AWS::S3::BucketPolicy",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::CachePolicy",
    "AWS::CloudFront::OriginRequestPolicy",
    "AWS::CloudFront::ResponseHeadersPolicy",
    "AWS::CertificateManager::Certificate",
    "AWS::SSM::Parameter",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
    "AWS::Budgets::Budget",
];

fn money(p: f64) -> String {
    if p >= 0.01 {
        format!("${}", trim(p))
    } else {
        format!("${p}")
    }
}

fn trim(n: f64) -> String {
    let s = format!("{n:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

fn qty(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let i = n as i64;
        let s = i.to_string();
        // thousands separators for readability
        let mut out = String::new();
        for (k, c) in s.chars().enumerate() {
            if k > 0 && (s.len() - k) % 3 == 0 && c != '-' {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        trim(n)
    }
}

struct Res<'a> {
    id: &'a str,
    ty: &'a str,
    props: &'a Json,
    template: &'a Json,
    usage: Usage,
    prices: &'a RegionPrices,
}

enum Priced {
    Lines(Vec<Line>),
    Free,
    No(String),
}

impl Res<'_> {
    fn get(&self, key: &str) -> f64 {
        self.usage
            .get(key)
            .or_else(|| defaults(self.ty).get(key))
            .unwrap_or(0.0)
    }

    fn price(&self, key: &str) -> Result<f64, String> {
        self.prices
            .get(key)
            .ok_or_else(|| format!("no `{key}` price for {}", self.prices.region()))
    }

    fn line(&self, item: &str, assumption: String, monthly: f64) -> Line {
        Line {
            resource: self.id.to_owned(),
            resource_type: self.ty.to_owned(),
            item: item.to_owned(),
            assumption,
            monthly,
            min: monthly,
            max: monthly,
            fix: None,
        }
    }

    fn resource(&self, id: &str) -> Option<&Json> {
        self.template.get("Resources")?.get(id)
    }
}

fn ref_id(v: &Json) -> Option<&str> {
    v.get("Ref")
        .and_then(Json::as_str)
        .or_else(|| v.get("Fn::GetAtt")?.get(0)?.as_str())
}

fn num(v: &Json) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// The autoscaling range of an ECS service, from a scalable target whose
/// resource id names it.
fn scaling_range(template: &Json, service: &str) -> Option<(f64, f64)> {
    let needle = format!("${{{service}.Name}}");
    template
        .get("Resources")?
        .as_object()?
        .values()
        .filter(|r| r["Type"] == "AWS::ApplicationAutoScaling::ScalableTarget")
        .find(|r| {
            r["Properties"]["ResourceId"]
                .to_string()
                .contains(needle.as_str())
        })
        .and_then(|r| {
            Some((
                num(&r["Properties"]["MinCapacity"])?,
                num(&r["Properties"]["MaxCapacity"])?,
            ))
        })
}

fn fargate(r: &Res) -> Result<Priced, String> {
    let Some(td_id) = ref_id(&r.props["TaskDefinition"]) else {
        return Ok(Priced::No(
            "its task definition is not in this stack".into(),
        ));
    };
    let Some(td) = r.resource(td_id) else {
        return Ok(Priced::No(format!("task definition `{td_id}` not found")));
    };
    let tp = &td["Properties"];
    let fargate = tp["RequiresCompatibilities"]
        .as_array()
        .is_some_and(|a| a.iter().any(|c| c == "FARGATE"))
        || r.props["LaunchType"] == "FARGATE";
    if !fargate {
        return Ok(Priced::No(
            "not on Fargate: the EC2 instances it runs on are what is billed".into(),
        ));
    }
    let (Some(cpu), Some(mem)) = (num(&tp["Cpu"]), num(&tp["Memory"])) else {
        return Ok(Priced::No(
            "task cpu or memory is not a literal value".into(),
        ));
    };
    let arm = tp["RuntimePlatform"]["CpuArchitecture"] == "ARM64";
    let (vk, gk) = if arm {
        ("fargate_arm_vcpu_hour", "fargate_arm_gb_hour")
    } else {
        ("fargate_vcpu_hour", "fargate_gb_hour")
    };
    let (pv, pg) = (r.price(vk)?, r.price(gk)?);
    let vcpu = cpu / 1024.0;
    let gb = mem / 1024.0;
    let hours = r.get("hours");
    let tasks = r
        .usage
        .get("tasks")
        .or_else(|| num(&r.props["DesiredCount"]))
        .unwrap_or(1.0);
    let (lo, hi) = scaling_range(r.template, r.id).unwrap_or((tasks, tasks));
    let (lo, hi) = (
        r.usage.get("min_tasks").unwrap_or(lo),
        r.usage.get("max_tasks").unwrap_or(hi),
    );
    let t = |n: f64| if n == 1.0 { "task" } else { "tasks" };
    let mut v = r.line(
        if arm {
            "Fargate vCPU (ARM64)"
        } else {
            "Fargate vCPU"
        },
        format!(
            "{} vCPU × {} {} × {} h × {}/vCPU-h",
            trim(vcpu),
            qty(tasks),
            t(tasks),
            qty(hours),
            money(pv)
        ),
        vcpu * tasks * hours * pv,
    );
    v.min = vcpu * lo * hours * pv;
    v.max = vcpu * hi * hours * pv;
    let mut m = r.line(
        if arm {
            "Fargate memory (ARM64)"
        } else {
            "Fargate memory"
        },
        format!(
            "{} GB × {} {} × {} h × {}/GB-h",
            trim(gb),
            qty(tasks),
            t(tasks),
            qty(hours),
            money(pg)
        ),
        gb * tasks * hours * pg,
    );
    m.min = gb * lo * hours * pg;
    m.max = gb * hi * hours * pg;
    if !arm {
        if let (Some(av), Some(ag)) = (
            r.prices.get("fargate_arm_vcpu_hour"),
            r.prices.get("fargate_arm_gb_hour"),
        ) {
            v.fix = Some(Fix {
                what: format!("run `{}` on ARM64 (Graviton) Fargate", r.id),
                saves: (vcpu * (pv - av) + gb * (pg - ag)) * tasks * hours,
            });
        }
    }
    let mut lines = vec![v, m];
    let public =
        r.props["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"] == "ENABLED";
    if public {
        let p = r.price("public_ipv4_hour")?;
        let mut ip = r.line(
            "Public IPv4 addresses",
            format!(
                "{} {} × 1 address × {} h × {}/h",
                qty(tasks),
                t(tasks),
                qty(hours),
                money(p)
            ),
            tasks * hours * p,
        );
        ip.min = lo * hours * p;
        ip.max = hi * hours * p;
        lines.push(ip);
    }
    Ok(Priced::Lines(lines))
}

fn load_balancer(r: &Res) -> Result<Priced, String> {
    let ty = r.props["Type"].as_str().unwrap_or("application");
    if ty != "application" {
        return Ok(Priced::No(format!(
            "{ty} load balancers are not in the price table"
        )));
    }
    let hours = r.get("hours");
    let lcu = r.get("lcu");
    let (ph, pl) = (r.price("alb_hour")?, r.price("alb_lcu_hour")?);
    let mut lines = vec![
        r.line(
            "Application Load Balancer hours",
            format!("{} h × {}/h", qty(hours), money(ph)),
            hours * ph,
        ),
        r.line(
            "Load balancer capacity units",
            format!("{} LCU × {} h × {}/LCU-h", trim(lcu), qty(hours), money(pl)),
            lcu * hours * pl,
        ),
    ];
    if r.props["Scheme"].as_str().unwrap_or("internet-facing") == "internet-facing" {
        let zones = r.props["Subnets"]
            .as_array()
            .map(Vec::len)
            .or_else(|| r.props["SubnetMappings"].as_array().map(Vec::len))
            .unwrap_or(2) as f64;
        let p = r.price("public_ipv4_hour")?;
        lines.push(r.line(
            "Public IPv4 addresses",
            format!(
                "{} addresses (one per zone) × {} h × {}/h",
                qty(zones),
                qty(hours),
                money(p)
            ),
            zones * hours * p,
        ));
    }
    Ok(Priced::Lines(lines))
}

fn nat_gateway(r: &Res) -> Result<Priced, String> {
    let hours = r.get("hours");
    let gb = r.get("gb");
    let (ph, pg) = (r.price("nat_hour")?, r.price("nat_gb")?);
    let mut h = r.line(
        "NAT gateway hours",
        format!("{} h × {}/h", qty(hours), money(ph)),
        hours * ph,
    );
    let ipv4 = r.prices.get("public_ipv4_hour").unwrap_or(0.0) * hours;
    h.fix = Some(Fix {
        what: format!(
            "no NAT gateway `{}`: tasks in public subnets with a public IP, reachable only from the load balancer's group (or VPC endpoints for AWS APIs)",
            r.id
        ),
        saves: hours * ph + gb * pg - ipv4,
    });
    Ok(Priced::Lines(vec![
        h,
        r.line(
            "NAT gateway data processed",
            format!("{} GB × {}/GB", qty(gb), money(pg)),
            gb * pg,
        ),
    ]))
}

fn eip(r: &Res) -> Result<Priced, String> {
    let hours = r.get("hours");
    let p = r.price("public_ipv4_hour")?;
    Ok(Priced::Lines(vec![r.line(
        "Public IPv4 address (Elastic IP)",
        format!("{} h × {}/h", qty(hours), money(p)),
        hours * p,
    )]))
}

fn efs(r: &Res) -> Result<Priced, String> {
    let gb = r.get("gb");
    let ia = (r.get("ia_percent") / 100.0).clamp(0.0, 1.0);
    let one_zone = r.props.get("AvailabilityZoneName").is_some();
    let (sk, ik, class) = if one_zone {
        (
            "efs_one_zone_gb_month",
            "efs_one_zone_ia_gb_month",
            "One Zone",
        )
    } else {
        ("efs_standard_gb_month", "efs_ia_gb_month", "Standard")
    };
    let (ps, pi) = (r.price(sk)?, r.price(ik)?);
    let mut lines = vec![r.line(
        &format!("EFS {class} storage"),
        format!("{} GB-month × {}/GB-month", qty(gb * (1.0 - ia)), money(ps)),
        gb * (1.0 - ia) * ps,
    )];
    if ia > 0.0 {
        lines.push(r.line(
            &format!("EFS {class}-Infrequent Access storage"),
            format!("{} GB-month × {}/GB-month", qty(gb * ia), money(pi)),
            gb * ia * pi,
        ));
    }
    Ok(Priced::Lines(lines))
}

fn cache_nodes(r: &Res, nodes: f64) -> Result<Priced, String> {
    let Some(node_type) = r.props["CacheNodeType"].as_str() else {
        return Ok(Priced::No("node type is not a literal value".into()));
    };
    let Some(p) = r.prices.get_in("elasticache_node_hour", node_type) else {
        return Ok(Priced::No(format!(
            "no price for node type {node_type} in {}",
            r.prices.region()
        )));
    };
    let hours = r.get("hours");
    let mut l = r.line(
        "ElastiCache node hours",
        format!(
            "{} × {} node{} × {} h × {}/h",
            node_type,
            qty(nodes),
            if nodes == 1.0 { "" } else { "s" },
            qty(hours),
            money(p)
        ),
        nodes * hours * p,
    );
    if let Some(graviton) = node_type.strip_prefix("cache.t3.") {
        let alt = format!("cache.t4g.{graviton}");
        if let Some(pa) = r.prices.get_in("elasticache_node_hour", &alt) {
            l.fix = Some(Fix {
                what: format!("`{}` on {alt} (Graviton)", r.id),
                saves: nodes * hours * (p - pa),
            });
        }
    }
    Ok(Priced::Lines(vec![l]))
}

fn lambda(r: &Res) -> Result<Priced, String> {
    let memory = num(&r.props["MemorySize"]).unwrap_or(128.0) / 1024.0;
    let arm = r.props["Architectures"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x == "arm64"));
    let requests = r.get("requests");
    let ms = r.get("duration_ms");
    let gbs = requests * ms / 1000.0 * memory;
    let pk = if arm {
        "lambda_arm_gb_second"
    } else {
        "lambda_gb_second"
    };
    let (pc, pr) = (r.price(pk)?, r.price("lambda_requests_million")?);
    let mut c = r.line(
        "Lambda compute",
        format!(
            "{} requests × {} ms × {} GB = {} GB-s × {}/GB-s",
            qty(requests),
            qty(ms),
            trim(memory),
            qty(gbs.round()),
            money(pc)
        ),
        gbs * pc,
    );
    if !arm {
        if let Some(pa) = r.prices.get("lambda_arm_gb_second") {
            c.fix = Some(Fix {
                what: format!("`{}` on arm64", r.id),
                saves: gbs * (pc - pa),
            });
        }
    }
    Ok(Priced::Lines(vec![
        c,
        r.line(
            "Lambda requests",
            format!("{} requests × {}/million", qty(requests), money(pr)),
            requests / 1e6 * pr,
        ),
    ]))
}

fn per_million(r: &Res, item: &str, key: &str) -> Result<Priced, String> {
    let requests = r.get("requests");
    let p = r.price(key)?;
    Ok(Priced::Lines(vec![r.line(
        item,
        format!("{} requests × {}/million", qty(requests), money(p)),
        requests / 1e6 * p,
    )]))
}

fn cloudfront(r: &Res) -> Result<Priced, String> {
    let requests = r.get("requests");
    let gb = r.get("gb");
    let (pr, pg) = (
        r.price("cloudfront_https_requests_10k")?,
        r.price("cloudfront_gb")?,
    );
    Ok(Priced::Lines(vec![
        r.line(
            "CloudFront HTTPS requests",
            format!("{} requests × {}/10,000", qty(requests), money(pr)),
            requests / 1e4 * pr,
        ),
        r.line(
            "CloudFront data transfer out",
            format!("{} GB × {}/GB", qty(gb), money(pg)),
            gb * pg,
        ),
    ]))
}

fn s3(r: &Res) -> Result<Priced, String> {
    let gb = r.get("gb");
    let put = r.get("put_requests");
    let get = r.get("get_requests");
    let (ps, pp, pg) = (
        r.price("s3_standard_gb_month")?,
        r.price("s3_put_1k")?,
        r.price("s3_get_1k")?,
    );
    Ok(Priced::Lines(vec![
        r.line(
            "S3 Standard storage",
            format!("{} GB-month × {}/GB-month", qty(gb), money(ps)),
            gb * ps,
        ),
        r.line(
            "S3 requests",
            format!(
                "{} PUT × {}/1,000 + {} GET × {}/1,000",
                qty(put),
                money(pp),
                qty(get),
                money(pg)
            ),
            put / 1e3 * pp + get / 1e3 * pg,
        ),
    ]))
}

fn flat(r: &Res, item: &str, key: &str, count_key: &str, unit: &str) -> Result<Priced, String> {
    let n = r.get(count_key);
    let p = r.price(key)?;
    Ok(Priced::Lines(vec![r.line(
        item,
        format!("{} {unit} × {}/month", qty(n), money(p)),
        n * p,
    )]))
}

fn logs(r: &Res) -> Result<Priced, String> {
    let gb = r.get("gb");
    let stored = r.usage.get("stored_gb").unwrap_or(gb);
    let (pi, ps) = (r.price("logs_ingest_gb")?, r.price("logs_store_gb_month")?);
    Ok(Priced::Lines(vec![
        r.line(
            "CloudWatch Logs ingestion",
            format!("{} GB × {}/GB", qty(gb), money(pi)),
            gb * pi,
        ),
        r.line(
            "CloudWatch Logs storage",
            format!("{} GB-month × {}/GB-month", qty(stored), money(ps)),
            stored * ps,
        ),
    ]))
}

fn vpc_endpoint(r: &Res) -> Result<Priced, String> {
    let ty = r.props["VpcEndpointType"].as_str().unwrap_or("Gateway");
    if ty == "Gateway" {
        return Ok(Priced::Free);
    }
    if ty != "Interface" {
        return Ok(Priced::No(format!(
            "{ty} endpoints are not in the price table"
        )));
    }
    let zones = r.props["SubnetIds"].as_array().map_or(2, Vec::len) as f64;
    let hours = r.get("hours");
    let gb = r.get("gb");
    let (ph, pg) = (r.price("vpce_interface_hour")?, r.price("vpce_gb")?);
    Ok(Priced::Lines(vec![
        r.line(
            "Interface endpoint hours",
            format!("{} zones × {} h × {}/h", qty(zones), qty(hours), money(ph)),
            zones * hours * ph,
        ),
        r.line(
            "Interface endpoint data processed",
            format!("{} GB × {}/GB", qty(gb), money(pg)),
            gb * pg,
        ),
    ]))
}

fn state_machine(r: &Res) -> Result<Priced, String> {
    if r.props["StateMachineType"] == "EXPRESS" {
        return Ok(Priced::No(
            "Express workflows are billed per request and GB-second, not in the price table".into(),
        ));
    }
    let n = r.get("transitions");
    let p = r.price("sfn_transitions_1k")?;
    Ok(Priced::Lines(vec![r.line(
        "Step Functions state transitions",
        format!("{} transitions × {}/1,000", qty(n), money(p)),
        n / 1e3 * p,
    )]))
}

fn price_resource(r: &Res) -> Result<Priced, String> {
    match r.ty {
        "AWS::ECS::Service" => fargate(r),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => load_balancer(r),
        "AWS::EC2::NatGateway" => nat_gateway(r),
        "AWS::EC2::EIP" => eip(r),
        "AWS::EFS::FileSystem" => efs(r),
        "AWS::ElastiCache::CacheCluster" => {
            cache_nodes(r, num(&r.props["NumCacheNodes"]).unwrap_or(1.0))
        }
        "AWS::ElastiCache::ReplicationGroup" => {
            let n = num(&r.props["NumCacheClusters"]).unwrap_or_else(|| {
                num(&r.props["NumNodeGroups"]).unwrap_or(1.0)
                    * (num(&r.props["ReplicasPerNodeGroup"]).unwrap_or(0.0) + 1.0)
            });
            cache_nodes(r, n)
        }
        "AWS::Lambda::Function" => lambda(r),
        "AWS::ApiGatewayV2::Api" => {
            if r.props["ProtocolType"].as_str().unwrap_or("HTTP") == "HTTP" {
                per_million(r, "HTTP API requests", "apigw_http_requests_million")
            } else {
                Ok(Priced::No(
                    "WebSocket APIs are not in the price table".into(),
                ))
            }
        }
        "AWS::ApiGateway::RestApi" => {
            per_million(r, "REST API requests", "apigw_rest_requests_million")
        }
        "AWS::CloudFront::Distribution" => cloudfront(r),
        "AWS::S3::Bucket" => s3(r),
        "AWS::SecretsManager::Secret" => flat(
            r,
            "Secrets Manager secret",
            "secretsmanager_secret_month",
            "secrets",
            "secret",
        ),
        "AWS::Logs::LogGroup" => logs(r),
        "AWS::EC2::VPCEndpoint" => vpc_endpoint(r),
        "AWS::StepFunctions::StateMachine" => state_machine(r),
        "AWS::ECR::Repository" => {
            let gb = r.get("gb");
            let p = r.price("ecr_gb_month")?;
            Ok(Priced::Lines(vec![r.line(
                "ECR image storage",
                format!("{} GB-month × {}/GB-month", qty(gb), money(p)),
                gb * p,
            )]))
        }
        "AWS::CloudWatch::Alarm" => flat(
            r,
            "CloudWatch alarm",
            "cloudwatch_alarm_month",
            "alarms",
            "alarm",
        ),
        "AWS::CloudWatch::Dashboard" => flat(
            r,
            "CloudWatch dashboard",
            "cloudwatch_dashboard_month",
            "dashboards",
            "dashboard",
        ),
        t if FREE.contains(&t) => Ok(Priced::Free),
        _ => Ok(Priced::No("no price model for this type".into())),
    }
}

/// The usage that applies to a resource: the stack's `*`, then every
/// construct prefix of its logical id, shortest first.
fn usage_for(declared: &[(String, Usage)], id: &str) -> Usage {
    let mut matching: Vec<&(String, Usage)> = declared
        .iter()
        .filter(|(k, _)| k == ALL || id.starts_with(k.as_str()))
        .collect();
    matching.sort_by_key(|(k, _)| if k == ALL { 0 } else { k.len() });
    matching
        .into_iter()
        .fold(Usage::new(), |u, (_, over)| u.merged(over))
}

/// Prices one stack.
pub fn estimate_stack(input: &StackInput, table: &PriceTable) -> StackEstimate {
    let meta = &input.template["Metadata"][METADATA_KEY];
    let declared: Vec<(String, Usage)> = meta["Usage"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), Usage::from_json(v)))
                .collect()
        })
        .unwrap_or_default();
    let budget = meta["Budget"]["MonthlyUsd"].as_f64();
    let region = input.region.unwrap_or(FALLBACK_REGION);
    let mut out = StackEstimate {
        name: input.name.to_owned(),
        region: region.to_owned(),
        region_assumed: input.region.is_none(),
        lines: Vec::new(),
        not_priced: Vec::new(),
        free: 0,
        budget,
    };
    let resources = input.template["Resources"].as_object();
    let prices = table.region(region);
    for (id, res) in resources.into_iter().flatten() {
        let ty = res["Type"].as_str().unwrap_or("");
        let Some(prices) = &prices else {
            out.not_priced.push(NotPriced {
                resource: id.clone(),
                resource_type: ty.to_owned(),
                reason: format!("no prices for region {region}"),
            });
            continue;
        };
        let r = Res {
            id,
            ty,
            props: &res["Properties"],
            template: input.template,
            usage: usage_for(&declared, id),
            prices,
        };
        match price_resource(&r) {
            Ok(Priced::Lines(l)) => out.lines.extend(l),
            Ok(Priced::Free) => out.free += 1,
            Ok(Priced::No(reason)) | Err(reason) => out.not_priced.push(NotPriced {
                resource: id.clone(),
                resource_type: ty.to_owned(),
                reason,
            }),
        }
    }
    // Traffic to the internet is the stack's, not a resource's.
    let all = usage_for(&declared, "");
    if let (Some(gb), Some(p)) = (
        all.get("internet_gb"),
        prices.as_ref().and_then(|p| p.get("internet_out_gb")),
    ) {
        out.lines.push(Line {
            resource: "(stack)".into(),
            resource_type: "data transfer".into(),
            item: "Data transfer out to the internet".into(),
            assumption: format!("{} GB × {}/GB", qty(gb), money(p)),
            monthly: gb * p,
            min: gb * p,
            max: gb * p,
            fix: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn price(template: Json, region: &str) -> StackEstimate {
        let table = PriceTable::builtin().unwrap();
        estimate_stack(
            &StackInput {
                name: "S",
                region: Some(region),
                template: &template,
            },
            &table,
        )
    }

    fn one(template: Json) -> Vec<(String, String, f64)> {
        price(template, "us-east-1")
            .lines
            .into_iter()
            .map(|l| {
                (
                    l.item,
                    l.assumption,
                    (l.monthly * 10000.0).round() / 10000.0,
                )
            })
            .collect()
    }

    #[test]
    fn fargate_service_vcpu_memory_and_public_ips_with_the_scaling_range() {
        let t = json!({"Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"Cpu": "1024", "Memory": "2048", "RequiresCompatibilities": ["FARGATE"]}},
            "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}, "DesiredCount": 1,
                "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}}}},
            "Scaling": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {"MinCapacity": 1, "MaxCapacity": 4,
                "ResourceId": {"Fn::Sub": "service/${Cluster}/${Service.Name}"}}}
        }});
        let e = price(t, "us-east-1");
        assert_eq!(e.lines.len(), 3);
        assert_eq!(
            e.lines[0].assumption,
            "1 vCPU × 1 task × 730 h × $0.04048/vCPU-h"
        );
        assert!((e.lines[0].monthly - 29.5504).abs() < 1e-9);
        assert!((e.lines[1].monthly - 6.4897).abs() < 1e-9);
        assert!((e.lines[2].monthly - 3.65).abs() < 1e-9);
        assert!((e.max() - 4.0 * e.min()).abs() < 1e-9);
        assert_eq!(e.free, 2);
        assert!(
            e.lines[0]
                .fix
                .as_ref()
                .is_some_and(|f| f.what.contains("ARM64"))
        );
    }

    #[test]
    fn load_balancer_nat_and_eip() {
        let l = one(json!({"Resources": {
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Subnets": ["a", "b"]}},
            "Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {}},
            "Ip": {"Type": "AWS::EC2::EIP", "Properties": {}}
        }}));
        assert_eq!(
            l[0],
            (
                "Application Load Balancer hours".into(),
                "730 h × $0.0225/h".into(),
                16.425
            )
        );
        assert_eq!(l[1].2, 5.84);
        assert_eq!(
            l[2],
            (
                "Public IPv4 addresses".into(),
                "2 addresses (one per zone) × 730 h × $0.005/h".into(),
                7.3
            )
        );
        assert_eq!(
            l[3],
            ("NAT gateway hours".into(), "730 h × $0.045/h".into(), 32.85)
        );
        assert_eq!(
            l[4],
            (
                "NAT gateway data processed".into(),
                "10 GB × $0.045/GB".into(),
                0.45
            )
        );
        assert_eq!(l[5].2, 3.65);
    }

    #[test]
    fn storage_caches_and_secrets() {
        let l = one(json!({"Resources": {
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
            "Redis": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {"CacheNodeType": "cache.t3.micro", "NumCacheNodes": 1}},
            "Group": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"CacheNodeType": "cache.t4g.small", "NumCacheClusters": 2}},
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
            "Key": {"Type": "AWS::SecretsManager::Secret", "Properties": {}},
            "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
            "Repo": {"Type": "AWS::ECR::Repository", "Properties": {}}
        }}));
        assert_eq!(
            l[0],
            (
                "EFS Standard storage".into(),
                "10 GB-month × $0.3/GB-month".into(),
                3.0
            )
        );
        assert_eq!(
            l[1],
            (
                "ElastiCache node hours".into(),
                "cache.t3.micro × 1 node × 730 h × $0.017/h".into(),
                12.41
            )
        );
        assert_eq!(l[2].2, 46.72);
        assert_eq!(l[3].2, 0.023);
        assert_eq!(
            l[4],
            (
                "S3 requests".into(),
                "10,000 PUT × $0.005/1,000 + 100,000 GET × $0.0004/1,000".into(),
                0.09
            )
        );
        assert_eq!(l[5].2, 0.4);
        assert_eq!(
            l[6],
            (
                "CloudWatch Logs ingestion".into(),
                "1 GB × $0.5/GB".into(),
                0.5
            )
        );
        assert_eq!(l[7].2, 0.03);
        assert_eq!(l[8].2, 0.1);
    }

    #[test]
    fn functions_apis_distributions_endpoints_and_state_machines() {
        let l = one(json!({"Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 512}},
            "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
            "Rest": {"Type": "AWS::ApiGateway::RestApi", "Properties": {}},
            "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {}},
            "Ep": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Interface", "SubnetIds": ["a", "b"]}},
            "Gw": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Gateway"}},
            "Sm": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {}}
        }}));
        assert_eq!(
            l[0].1,
            "1,000,000 requests × 100 ms × 0.5 GB = 50,000 GB-s × $0.0000166667/GB-s"
        );
        assert_eq!(l[0].2, 0.8333);
        assert_eq!(l[1].2, 0.2);
        assert_eq!(l[2].2, 1.0);
        assert_eq!(l[3].2, 3.5);
        assert_eq!(l[4].2, 1.0);
        assert_eq!(l[5].2, 0.85);
        assert_eq!(
            l[6],
            (
                "Interface endpoint hours".into(),
                "2 zones × 730 h × $0.01/h".into(),
                14.6
            )
        );
        assert_eq!(l[7].2, 0.1);
        assert_eq!(l[8].2, 0.25);
        assert_eq!(l.len(), 9, "the gateway endpoint is free");
    }

    #[test]
    fn an_unknown_type_or_region_is_not_priced_never_zero() {
        let e = price(
            json!({"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {}},
                                 "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {}}}}),
            "us-east-1",
        );
        assert!(e.lines.is_empty());
        assert_eq!(e.free, 1);
        assert_eq!(e.not_priced[0].resource_type, "AWS::RDS::DBInstance");
        assert_eq!(e.not_priced[0].reason, "no price model for this type");
        let e = price(
            json!({"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}}}}),
            "mars-north-1",
        );
        assert_eq!(e.not_priced[0].reason, "no prices for region mars-north-1");
        let e = price(
            json!({"Resources": {"Redis": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {"CacheNodeType": "cache.r7g.16xlarge"}}}}),
            "us-east-1",
        );
        assert_eq!(
            e.not_priced[0].reason,
            "no price for node type cache.r7g.16xlarge in us-east-1"
        );
    }

    #[test]
    fn declared_usage_wins_longest_prefix_last() {
        let t = json!({
            "Metadata": {"Formwork::Cost": {"Usage": {"*": {"hours": 744.0, "gb": 5.0}, "Api": {"gb": 2.0}, "ApiLogs": {"gb": 3.0}}}},
            "Resources": {
                "ApiLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
                "ApiBucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
                "Other": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
                "Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {}}
            }
        });
        let l = one(t);
        assert_eq!(l[0].1, "3 GB × $0.5/GB");
        assert_eq!(l[2].1, "2 GB-month × $0.023/GB-month");
        assert_eq!(l[4].1, "5 GB × $0.5/GB");
        assert_eq!(l[6].1, "744 h × $0.045/h");
    }
}
