"""The fourth kind's package is a sub-package of meakg.loaders once its test adds this folder to the
package's search path (as a new kind lives in loaders/); it is not collected on its own."""

collect_ignore = ["resolution_list"]
