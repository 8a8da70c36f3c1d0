//! The offline price table: on-demand unit prices per region, with the
//! date and source they were taken from.

use serde_json::Value as Json;

/// The price table shipped with formwork (`prices/aws-prices.json`).
pub const BUILTIN: &str = include_str!("../prices/aws-prices.json");

/// Unit prices of one region.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionPrices {
    region: String,
    prices: Json,
}

impl RegionPrices {
    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// A unit price (`fargate_vcpu_hour`), if the table has it.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.prices.get(key).and_then(Json::as_f64)
    }

    /// A price keyed by an instance type (`elasticache_node_hour`,
    /// `cache.t3.micro`).
    pub fn get_in(&self, key: &str, item: &str) -> Option<f64> {
        self.prices.get(key)?.get(item)?.as_f64()
    }

    /// The same region with one unit price replaced: what a team's own
    /// figure or a negotiated price gives.
    ///
    /// ```
    /// let table = formwork::cost::PriceTable::builtin()?;
    /// let p = table.region("us-east-1").ok_or("no region")?.with("nat_hour", 0.05);
    /// assert_eq!(p.get("nat_hour"), Some(0.05));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with(mut self, key: &str, price: f64) -> RegionPrices {
        if let Some(m) = self.prices.as_object_mut() {
            m.insert(key.to_owned(), Json::from(price));
        }
        self
    }
}

/// Prices of every region the table covers.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceTable {
    date: String,
    source: String,
    regions: Json,
}

impl PriceTable {
    /// The table shipped with formwork.
    ///
    /// ```
    /// let table = formwork::cost::PriceTable::builtin()?;
    /// assert!(table.region("ap-northeast-1").is_some());
    /// assert!(!table.date().is_empty());
    /// # Ok::<(), String>(())
    /// ```
    pub fn builtin() -> Result<PriceTable, String> {
        PriceTable::parse(BUILTIN)
    }

    /// A table in the format of `prices/aws-prices.json`.
    pub fn parse(text: &str) -> Result<PriceTable, String> {
        let v: Json =
            serde_json::from_str(text).map_err(|e| format!("price table is not JSON: {e}"))?;
        let field = |k: &str| {
            v.get(k)
                .and_then(Json::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("price table has no `{k}`"))
        };
        let regions = v
            .get("regions")
            .filter(|r| r.is_object())
            .cloned()
            .ok_or("price table has no `regions` object")?;
        Ok(PriceTable {
            date: field("date")?,
            source: field("source")?,
            regions,
        })
    }

    /// When the prices were taken (`YYYY-MM-DD`).
    pub fn date(&self) -> &str {
        &self.date
    }

    /// Where they were taken from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The regions covered.
    pub fn regions(&self) -> Vec<&str> {
        self.regions
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The prices of a region.
    pub fn region(&self, region: &str) -> Option<RegionPrices> {
        self.regions.get(region).map(|p| RegionPrices {
            region: region.to_owned(),
            prices: p.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_prices_every_key_of_the_others() {
        let t = PriceTable::builtin().unwrap();
        let regions = t.regions();
        assert!(regions.contains(&"us-east-1") && regions.contains(&"ap-northeast-1"));
        let keys = |r: &str| {
            let mut k: Vec<String> = t.regions[r].as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys("us-east-1"), keys("ap-northeast-1"));
        for r in regions {
            for (k, v) in t.regions[r].as_object().unwrap() {
                let ok = v.as_f64().is_some_and(|p| p > 0.0)
                    || v.as_object()
                        .is_some_and(|m| m.values().all(|p| p.as_f64().is_some_and(|p| p > 0.0)));
                assert!(ok, "{r} {k}");
            }
        }
    }

    #[test]
    fn a_broken_table_is_an_error() {
        assert!(PriceTable::parse("{").unwrap_err().contains("not JSON"));
        assert!(
            PriceTable::parse("{\"date\":\"x\",\"source\":\"y\"}")
                .unwrap_err()
                .contains("regions")
        );
    }
}
