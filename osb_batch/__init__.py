"""osb_batch: the daily Order-Shipment-Billing batch on a sales department's Excel workbooks."""

__version__ = "0.1.0"
