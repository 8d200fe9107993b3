<?php
$key = getenv("LEGACY_KEY");
