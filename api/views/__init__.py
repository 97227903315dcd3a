"""The public API's endpoints, one module per part of the site: thin views over the apps' QuerySets and services."""
