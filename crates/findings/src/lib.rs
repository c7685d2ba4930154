//! Findings as data: what failed, on which resource, with evidence.
