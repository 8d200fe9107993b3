port ENV.fetch("PORT", 8080)
persistent_timeout 75
