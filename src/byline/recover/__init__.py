"""Structure recovery: turn an archive page's text back into posts.

The public surface is :func:`recover_text`, which takes text and returns a
:class:`RecoveredPage`; nothing here touches files or databases.
"""

from byline.recover._page import RecoveredPage, recover_text

__all__ = ["RecoveredPage", "recover_text"]
