//! Renders findings: table and JSON.
