#!/usr/bin/env python3
"""Refresh crates/formwork-cost/prices/aws-prices.json from the public AWS
Price List bulk files (no credentials needed).

    python3 scripts/refresh-prices.py                 # every region in the table
    python3 scripts/refresh-prices.py us-east-1 eu-west-1

    # PowerShell
    python scripts/refresh-prices.py us-east-1

For each offer it downloads
https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json
(CloudFront and data transfer are priced by edge location, not by region:
the table prices CloudFront of a region at its home geography's edges), picks
the on-demand price of each usage type below (the first paid tier of a tiered
price), converts it to the table's unit and writes the table with today's
date. A usage type it cannot find is an error naming it: the table is never
written half-refreshed.

Standard library only, so it runs wherever Python 3.8+ does.
"""

import datetime
import json
import os
import re
import sys
import urllib.request

BASE = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws"
TABLE = os.path.join(os.path.dirname(__file__), "..", "crates", "formwork-cost", "prices", "aws-prices.json")

# Edge-location geography of a region, for CloudFront's location-priced usage types.
EDGE = {"us": "US", "ca": "CA", "eu": "EU", "ap-northeast-1": "JP", "ap-northeast-3": "JP",
        "ap-south": "IN", "ap-southeast-2": "AU", "sa": "SA", "me": "ME", "af": "ZA"}

# key: (offer, usage-type regex (after the region prefix), factor, product filter)
# factor converts the price list's unit to the table's unit.
SPEC = {
    "fargate_vcpu_hour": ("AmazonECS", r"Fargate-vCPU-Hours:perCPU$", 1, {}),
    "fargate_gb_hour": ("AmazonECS", r"Fargate-GB-Hours$", 1, {}),
    "fargate_arm_vcpu_hour": ("AmazonECS", r"Fargate-ARM-vCPU-Hours:perCPU$", 1, {}),
    "fargate_arm_gb_hour": ("AmazonECS", r"Fargate-ARM-GB-Hours$", 1, {}),
    "alb_hour": ("AWSELB", r"LoadBalancerUsage$", 1, {"productFamily": "Load Balancer-Application"}),
    "alb_lcu_hour": ("AWSELB", r"LCUUsage$", 1, {"productFamily": "Load Balancer-Application"}),
    "nat_hour": ("AmazonEC2", r"NatGateway-Hours$", 1, {}),
    "nat_gb": ("AmazonEC2", r"NatGateway-Bytes$", 1, {}),
    "public_ipv4_hour": ("AmazonVPC", r"PublicIPv4:InUseAddress$", 1, {}),
    "efs_standard_gb_month": ("AmazonEFS", r"TimedStorage-ByteHrs$", 1, {}),
    "efs_ia_gb_month": ("AmazonEFS", r"IATimedStorage-ByteHrs$", 1, {}),
    "efs_archive_gb_month": ("AmazonEFS", r"ArchiveTimedStorage-ByteHrs$", 1, {}),
    "efs_one_zone_gb_month": ("AmazonEFS", r"TimedStorage-Z-ByteHrs$", 1, {}),
    "efs_one_zone_ia_gb_month": ("AmazonEFS", r"IATimedStorage-Z-ByteHrs$", 1, {}),
    "lambda_gb_second": ("AWSLambda", r"Lambda-GB-Second$", 1, {}),
    "lambda_arm_gb_second": ("AWSLambda", r"Lambda-GB-Second-ARM$", 1, {}),
    "lambda_requests_million": ("AWSLambda", r"Request$", 1e6, {}),
    "apigw_http_requests_million": ("AmazonApiGateway", r"ApiGatewayHttpRequest$", 1e6, {}),
    "apigw_rest_requests_million": ("AmazonApiGateway", r"ApiGatewayRequest$", 1e6, {}),
    "cloudfront_gb": ("AmazonCloudFront", r"{edge}-DataTransfer-Out-Bytes$", 1, {}),
    "cloudfront_https_requests_10k": ("AmazonCloudFront", r"{edge}-Requests-Tier2-HTTPS$", 1e4, {}),
    "s3_standard_gb_month": ("AmazonS3", r"TimedStorage-ByteHrs$", 1, {"volumeType": "Standard"}),
    "s3_put_1k": ("AmazonS3", r"Requests-Tier1$", 1e3, {}),
    "s3_get_1k": ("AmazonS3", r"Requests-Tier2$", 1e3, {}),
    "secretsmanager_secret_month": ("AWSSecretsManager", r"AWSSecretsManager-Secrets$", 1, {}),
    "logs_ingest_gb": ("AmazonCloudWatch", r"DataProcessing-Bytes$", 1, {"productFamily": "Data Payload"}),
    "logs_store_gb_month": ("AmazonCloudWatch", r"TimedStorage-ByteHrs$", 1, {}),
    "vpce_interface_hour": ("AmazonVPC", r"VpcEndpoint-Hours$", 1, {}),
    "vpce_gb": ("AmazonVPC", r"VpcEndpoint-Bytes$", 1, {}),
    "sfn_transitions_1k": ("AmazonStates", r"StateTransition$", 1e3, {}),
    "ecr_gb_month": ("AmazonECR", r"TimedStorage-ByteHrs$", 1, {}),
    "cloudwatch_alarm_month": ("AmazonCloudWatch", r"CW:AlarmMonitorUsage$", 1, {}),
    "cloudwatch_dashboard_month": ("AmazonCloudWatch", r"DashboardsUsageHour$", 1, {}),
    "internet_out_gb": ("AWSDataTransfer", r"DataTransfer-Out-Bytes$", 1, {"transferType": "AWS Outbound"}),
}
NODE_TYPES = ["cache.t3.micro", "cache.t3.small", "cache.t4g.micro", "cache.t4g.small"]
GLOBAL_OFFERS = {"AmazonCloudFront"}

_cache = {}


def offer(code, region):
    where = "us-east-1" if code in GLOBAL_OFFERS else region
    key = (code, where)
    if key not in _cache:
        url = f"{BASE}/{code}/current/{where}/index.json"
        print(f"  {url}", file=sys.stderr)
        with urllib.request.urlopen(url, timeout=300) as r:
            _cache[key] = json.load(r)
    return _cache[key]


def first_paid(terms):
    prices = []
    for term in terms.values():
        for dim in term["priceDimensions"].values():
            usd = float(dim["pricePerUnit"].get("USD", "0"))
            if usd > 0:
                prices.append((float(dim.get("beginRange", "0")), usd))
    return min(prices)[1] if prices else None


def find(code, region, pattern, filters):
    data = offer(code, region)
    rx = re.compile(r"^([A-Z0-9]+-)?" + pattern)
    for sku, product in data["products"].items():
        attrs = product.get("attributes", {})
        if not rx.search(attrs.get("usagetype", "")):
            continue
        if any(product.get(k, attrs.get(k)) != v for k, v in filters.items()):
            continue
        terms = data.get("terms", {}).get("OnDemand", {}).get(sku)
        if terms:
            p = first_paid(terms)
            if p is not None:
                return p
    raise SystemExit(f"error: no on-demand price for {code} {pattern} {filters} in {region}")


def edge_of(region):
    for prefix, geo in sorted(EDGE.items(), key=lambda kv: -len(kv[0])):
        if region.startswith(prefix):
            return geo
    return "US"


def region_prices(region):
    out = {}
    for key, (code, pattern, factor, filters) in SPEC.items():
        pattern = pattern.replace("{edge}", edge_of(region))
        out[key] = round(find(code, region, pattern, filters) * factor, 10)
    out["elasticache_node_hour"] = {
        n: find("AmazonElastiCache", region, rf"NodeUsage:{re.escape(n)}$", {}) for n in NODE_TYPES
    }
    # The table's key order: alphabetical, elasticache's map kept whole.
    return dict(sorted(out.items()))


def main(argv):
    with open(TABLE, encoding="utf-8") as f:
        table = json.load(f)
    regions = argv or list(table["regions"])
    for r in regions:
        print(f"{r}:", file=sys.stderr)
        table["regions"][r] = region_prices(r)
    table["date"] = datetime.date.today().isoformat()
    with open(TABLE, "w", encoding="utf-8", newline="\n") as f:
        json.dump(table, f, indent=2)
        f.write("\n")
    print(f"wrote {TABLE} ({', '.join(regions)})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
