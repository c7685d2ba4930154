//! Exact exposure arithmetic: port and address interval sets, unions per interface.
