"""What the testkit's tests share."""

# a node create body for the raw REST calls
NODE = {"name": "delta", "type": "SATELLITE",
        "net_interfaces": [{"name": "default", "address": "10.0.0.4", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}]}
