bucket = ENV.fetch("REPORT_BUCKET")
puts bucket
