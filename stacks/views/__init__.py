"""The stacks app's pages: companies, stacks and their editor, imports."""
