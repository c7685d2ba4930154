//! placeholder
use crate::error::IacError;
use ringfence_model::Estate;
use std::path::Path;
pub(crate) fn load(path: &Path) -> Result<Estate, IacError> {
    Err(IacError::Empty { path: path.to_path_buf() })
}
