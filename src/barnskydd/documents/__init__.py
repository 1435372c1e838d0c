"""Documents (handlingar) of a case: uploaded PDF, JPEG and PNG files, every read audited."""
