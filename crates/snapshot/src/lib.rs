//! Reads a folder of AWS CLI describe-* JSON into the model.
