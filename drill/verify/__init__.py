"""证书查验: anyone holding a certificate's verification code (scanned from the QR code on the printed
certificate) sees whether it is genuine and still valid: the holder's name, the level, the dates, and
valid, expired or revoked. Nothing else, and no sign-in. The page is in `views/`.
"""
