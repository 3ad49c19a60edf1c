"""The build pipeline: load -> validate -> reason -> publish. See README.md beside this file."""
