"""The methods of ``linstor.Linstor``, grouped by area of the REST API (one mixin per module)."""
