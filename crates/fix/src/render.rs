//! One file per format, one `match` on the format.

mod cli;
mod cloudformation;
mod console;
mod terraform;

use crate::Plan;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A runnable `#!/bin/sh` script of `aws ec2 ...` commands.
    Cli,
    /// `aws_vpc_security_group_ingress_rule` resources for what stays, guidance for what goes.
    Terraform,
    /// `AWS::EC2::SecurityGroupIngress` resources, YAML.
    CloudFormation,
    /// The same template as JSON.
    CloudFormationJson,
    /// Steps in the AWS console, in words.
    Console,
    /// The plan itself.
    Json,
}

pub fn render(plan: &Plan, format: Format) -> String {
    match format {
        Format::Cli => cli::render(plan),
        Format::Terraform => terraform::render(plan),
        Format::CloudFormation => cloudformation::render_yaml(plan),
        Format::CloudFormationJson => cloudformation::render_json(plan),
        Format::Console => console::render(plan),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(plan).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}
