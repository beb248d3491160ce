"""Excel workbooks: the layout contract, the writer and the reader."""
