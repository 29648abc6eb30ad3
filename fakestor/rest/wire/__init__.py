"""Every object's wire JSON, one module per area: the only place that knows the REST shapes."""
