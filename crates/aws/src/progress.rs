//! One line per account and region on stderr while reading; nothing when stderr is not
//! a terminal or with `--quiet`.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use ringfence_snapshot::RegionDocuments;
use std::io::IsTerminal;

pub(crate) struct Progress {
    bars: MultiProgress,
}

/// The kinds read per region: one tick each (11 network kinds, 4 audit-trail kinds).
const KINDS: u64 = 15;

impl Progress {
    pub fn new(quiet: bool) -> Self {
        let target = if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        Progress {
            bars: MultiProgress::with_draw_target(target),
        }
    }

    pub fn region(&self, account: Option<&str>, region: &str) -> RegionBar {
        let bar = self.bars.add(ProgressBar::new(KINDS));
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {prefix:<28} {bar:20} {pos}/{len} {msg}")
        {
            bar.set_style(style);
        }
        bar.set_prefix(format!("{} {region}", account.unwrap_or("?")));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        RegionBar { bar }
    }
}

pub(crate) struct RegionBar {
    bar: ProgressBar,
}

impl RegionBar {
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    pub fn finish(&self, docs: &RegionDocuments) {
        let message = if docs.failures.is_empty() {
            "done".to_string()
        } else {
            format!("{} failed", docs.failures.len())
        };
        self.bar.finish_with_message(message);
    }
}
