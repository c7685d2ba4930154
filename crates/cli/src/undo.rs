//! `ringfence undo <backup>`: restores what `fix aws --apply` removed and removes what it
//! added, from the backup alone.

use crate::Outcome;
use crate::args::LiveArgs;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct UndoArgs {
    /// The backup file `ringfence fix aws --apply` wrote.
    #[arg(value_name = "BACKUP")]
    pub backup: PathBuf,
    #[command(flatten)]
    pub live: LiveArgs,
}

pub fn run(args: &UndoArgs) -> Result<Outcome, String> {
    let backup = ringfence_aws::apply::read_backup(&args.backup)?;
    let options = crate::live::options(&args.live);
    let report = ringfence_aws::apply::undo(&options, &backup)?;
    crate::fix::print_summary("undo", &report);
    Ok(if report.all_done() {
        Outcome::Clean
    } else {
        Outcome::Incomplete
    })
}
