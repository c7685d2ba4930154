//! Exact exposure arithmetic: which ports each security group, interface and instance
//! opens, to which addresses.
//!
//! Pure and fast: interval sets over ports and over the IPv4/IPv6 address spaces, no I/O
//! and no string parsing. Rules only ever allow, so what a set of groups admits is the
//! union of every rule; "open to the internet" is a question about that union, never
//! about one rule's literal CIDR.

pub mod addr;
mod evaluate;
pub mod interval;
pub mod nacl;
pub mod network;
mod profile;
mod reach;
mod reachability;
pub mod routes;
mod rules;

pub use evaluate::{Evaluation, InstanceExposure, InterfaceGroups, Placement};
pub use network::Network;
pub use profile::{Profile, Segment, segments};
pub use reach::{Reach, WideThreshold};
pub use reachability::{Endpoint, Hop, Reason, Verdict, verdict};
pub use rules::{FlatRule, RuleRef, Transport, resolve};
