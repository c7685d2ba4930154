//! The check registry: metadata plus one function per check, and the port catalog.
