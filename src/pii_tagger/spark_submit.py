"""``spark-submit``'s entry point for the command line: a script with absolute
imports (Spark runs the file itself, outside the package)::

    spark-submit --master yarn "$(python -c 'import pii_tagger.spark_submit as m; print(m.__file__)')" \
        scan --spark --format json s3a://lake/raw/2026/11/
"""

import sys

from pii_tagger.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
