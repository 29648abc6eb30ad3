"""testkit: test LINSTOR clients and plugins against fakestor (pytest plugin, strategies)."""
