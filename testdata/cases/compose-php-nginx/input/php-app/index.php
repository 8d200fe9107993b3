<?php echo "Hello from PHP-FPM behind nginx"; ?>
