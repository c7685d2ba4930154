//! A synthetic AWS estate written as a snapshot folder, for benchmarks.
//!
//! [`generate`] writes the same files `aws ec2 describe-*` prints (4-space indented JSON,
//! the fields the AWS CLI shows), one folder per region and optionally one per account
//! above them: VPCs with public and private subnets, main and explicit route tables,
//! internet and NAT gateways, default and custom network ACLs, customer-managed prefix
//! lists with their entries, security groups with a realistic mix of rules (mostly private
//! sources and group references; some `0.0.0.0/0`, `::/0`, split `0.0.0.0/1` +
//! `128.0.0.0/1`, wide public ranges, port ranges such as `0-65535` and `7000-7199`,
//! prefix lists, descriptions), instances with one to five groups and one to three network
//! interfaces, load-balancer and NAT interfaces, Elastic IPs, and
//! `describe-security-group-rules` with an `sgr-` id for every rule.
//!
//! The same parameters and seed give the same bytes. Each region is planned from its own
//! seed, so regions (and the files of a region) are written in parallel without changing
//! the output. The JSON is streamed to the files; no document is held in memory.

mod ids;
mod plan;
pub mod trail;
mod write;

use rayon::prelude::*;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Region names used in order, one folder each.
pub const REGIONS: [&str; 16] = [
    "us-east-1",
    "eu-west-1",
    "us-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "us-east-2",
    "eu-west-2",
    "ap-south-1",
    "ap-southeast-2",
    "ca-central-1",
    "sa-east-1",
    "eu-north-1",
    "us-west-1",
    "eu-west-3",
    "ap-northeast-2",
];

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// Security groups in total, spread evenly over every account and region.
    pub groups: usize,
    /// Instances in total, spread the same way.
    pub instances: usize,
    pub seed: u64,
    /// Region folders per account (1 to 16).
    pub regions: usize,
    /// Account folders (12-digit names) above the region folders; 0 writes the region
    /// folders directly into the output folder.
    pub accounts: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            groups: 1_000,
            instances: 2_000,
            seed: 1,
            regions: 1,
            accounts: 0,
        }
    }
}

impl Params {
    /// Every (account, region) folder gets at least one security group.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=REGIONS.len()).contains(&self.regions) {
            return Err(format!(
                "--regions must be between 1 and {}, not {}",
                REGIONS.len(),
                self.regions
            ));
        }
        if self.accounts > 1000 {
            return Err(format!(
                "--accounts must be at most 1000, not {}",
                self.accounts
            ));
        }
        let cells = self.regions * self.accounts.max(1);
        if self.groups < cells {
            return Err(format!(
                "--groups must be at least the number of region folders ({cells}): every region has a default security group"
            ));
        }
        Ok(())
    }
}

/// What was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub region_folders: usize,
    pub vpcs: usize,
    pub subnets: usize,
    pub route_tables: usize,
    pub network_acls: usize,
    pub internet_gateways: usize,
    pub security_groups: usize,
    /// Rules as `describe-security-group-rules` counts them: one per source.
    pub ingress_rules: usize,
    pub egress_rules: usize,
    pub prefix_lists: usize,
    pub instances: usize,
    pub network_interfaces: usize,
    pub addresses: usize,
    pub files: usize,
    pub bytes: u64,
}

impl Summary {
    fn add(mut self, other: Summary) -> Summary {
        self.region_folders += other.region_folders;
        self.vpcs += other.vpcs;
        self.subnets += other.subnets;
        self.route_tables += other.route_tables;
        self.network_acls += other.network_acls;
        self.internet_gateways += other.internet_gateways;
        self.security_groups += other.security_groups;
        self.ingress_rules += other.ingress_rules;
        self.egress_rules += other.egress_rules;
        self.prefix_lists += other.prefix_lists;
        self.instances += other.instances;
        self.network_interfaces += other.network_interfaces;
        self.addresses += other.addresses;
        self.files += other.files;
        self.bytes += other.bytes;
        self
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} region folders, {} files, {:.1} MiB",
            self.region_folders,
            self.files,
            self.bytes as f64 / (1024.0 * 1024.0)
        )?;
        writeln!(
            f,
            "{} security groups, {} rules ({} ingress, {} egress), {} prefix lists",
            self.security_groups,
            self.ingress_rules + self.egress_rules,
            self.ingress_rules,
            self.egress_rules,
            self.prefix_lists
        )?;
        writeln!(
            f,
            "{} instances, {} network interfaces, {} Elastic IPs",
            self.instances, self.network_interfaces, self.addresses
        )?;
        write!(
            f,
            "{} VPCs, {} subnets, {} route tables, {} network ACLs, {} internet gateways",
            self.vpcs, self.subnets, self.route_tables, self.network_acls, self.internet_gateways
        )
    }
}

/// One region folder to write: its share of the estate and its own seed.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    pub account: String,
    pub region: &'static str,
    pub groups: usize,
    pub instances: usize,
    pub seed: u64,
    pub dir: PathBuf,
}

/// Writes the estate into `out` (created if needed; files already there are overwritten).
pub fn generate(params: &Params, out: &Path) -> io::Result<Summary> {
    params
        .check()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let cells = cells(params, out);
    cells
        .par_iter()
        .map(|cell| {
            let plan = plan::Plan::build(cell);
            write::region(&plan, &cell.dir)
        })
        .try_reduce(Summary::default, |a, b| Ok(a.add(b)))
}

fn cells(params: &Params, out: &Path) -> Vec<Cell> {
    let accounts = params.accounts.max(1);
    let count = accounts * params.regions;
    let share = |total: usize, i: usize| total / count + usize::from(i < total % count);
    let mut cells = Vec::with_capacity(count);
    for a in 0..accounts {
        let account = ids::account(params.seed, a);
        for (r, region) in REGIONS.iter().take(params.regions).enumerate() {
            let i = a * params.regions + r;
            let dir = if params.accounts == 0 {
                out.join(region)
            } else {
                out.join(&account).join(region)
            };
            cells.push(Cell {
                account: account.clone(),
                region,
                groups: share(params.groups, i),
                instances: share(params.instances, i),
                seed: ids::mix(params.seed ^ ids::mix(i as u64 + 1)),
                dir,
            });
        }
    }
    cells
}
