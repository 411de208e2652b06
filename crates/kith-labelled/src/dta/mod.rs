//! Stata `.dta` files, formats 117–119, read and written by kith itself.

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::write;
